package io.channelstream.api.security;

import java.util.List;
import java.util.Locale;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The authenticated caller as the token describes them.
 *
 * @param subject     the token's subject (a person or system id)
 * @param role        the caller's role
 * @param regionCodes GB/T 2260 codes the caller may see (regional managers, partners)
 * @param dealerId    the dealer a DEALER token speaks for
 * @param partnerId   the partner a PARTNER token speaks for
 * @param dealerIds   dealers a PARTNER token may see
 */
public record Caller(
        String subject,
        Role role,
        List<String> regionCodes,
        String dealerId,
        String partnerId,
        List<String> dealerIds) {

    public static final String ROLE_CLAIM = "role";
    public static final String REGIONS_CLAIM = "regions";
    public static final String DEALER_CLAIM = "dealer_id";
    public static final String PARTNER_CLAIM = "partner_id";
    public static final String DEALERS_CLAIM = "dealers";

    public Caller {
        regionCodes = regionCodes == null ? List.of() : List.copyOf(regionCodes);
        dealerIds = dealerIds == null ? List.of() : List.copyOf(dealerIds);
    }

    /** Reads the caller from a verified token; a token without a known role is refused. */
    public static Caller from(Jwt jwt) {
        String role = jwt.getClaimAsString(ROLE_CLAIM);
        if (role == null) {
            throw new InvalidCallerException("the token carries no '" + ROLE_CLAIM + "' claim");
        }
        Role parsed;
        try {
            parsed = Role.valueOf(role.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidCallerException("unknown role '" + role + "' in the token");
        }
        return new Caller(jwt.getSubject(), parsed, jwt.getClaimAsStringList(REGIONS_CLAIM),
                jwt.getClaimAsString(DEALER_CLAIM), jwt.getClaimAsString(PARTNER_CLAIM),
                jwt.getClaimAsStringList(DEALERS_CLAIM));
    }

    /** A token whose claims do not describe a caller we can scope. */
    public static final class InvalidCallerException extends RuntimeException {
        public InvalidCallerException(String message) {
            super(message);
        }
    }
}
