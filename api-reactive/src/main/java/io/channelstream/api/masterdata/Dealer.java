package io.channelstream.api.masterdata;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A dealer of record with every authorization it has had.
 *
 * @param regionalManagerRegionCode region of the manager answerable for the dealer (alert routing), or null
 * @param authorizations            oldest first; each applies from its effectiveFrom until the next one's
 */
public record Dealer(
        String dealerId,
        String name,
        int tier,
        String regionalManagerRegionCode,
        List<Authorization> authorizations) {

    /** @param regionCodes GB/T 2260 codes at any level; a county inside an authorized province is inside */
    public record Authorization(Instant effectiveFrom, List<String> regionCodes) {}

    /** The regions in force at {@code at}; empty before the first authorization (never applied backwards). */
    public Optional<List<String>> authorizedRegionsAt(Instant at) {
        List<String> inForce = null;
        for (Authorization authorization : authorizations) {
            if (!authorization.effectiveFrom().isAfter(at)) {
                inForce = authorization.regionCodes();
            }
        }
        return Optional.ofNullable(inForce);
    }

    /** Every region the dealer is or was or will be authorized for, and its manager's: who may see it. */
    public List<String> allRegionCodes() {
        List<String> codes = new java.util.ArrayList<>();
        authorizations.forEach(authorization -> codes.addAll(authorization.regionCodes()));
        if (regionalManagerRegionCode != null) {
            codes.add(regionalManagerRegionCode);
        }
        return codes.stream().distinct().toList();
    }

    /** Where alerts about this dealer go: its manager's region, else its first region in force. */
    public Optional<String> routingRegionAt(Instant at) {
        if (regionalManagerRegionCode != null) {
            return Optional.of(regionalManagerRegionCode);
        }
        return authorizedRegionsAt(at).filter(codes -> !codes.isEmpty()).map(codes -> codes.get(0));
    }
}
