package io.channelstream.api.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Remembers the tokens the real decoder verified, by their exact text, so a client sending the same token
 * on every request pays for the RS256 signature check and claim parsing once, not per request (on a
 * profile of single-key reads that was the largest share of the app's CPU after the web stack itself).
 *
 * <p>It never accepts a token the decoder would refuse: a token is remembered only after the decoder
 * accepted it (signature, issuer, every validator), only the identical string hits, and a hit is used only
 * while the token is strictly inside its validity ({@code nbf} ≤ now &lt; {@code exp}, no clock skew,
 * where the decoder allows some); any other case goes to the decoder again, which answers as it always
 * did. Tokens without an expiry are never remembered. What changes: a key withdrawn from the identity
 * provider's key set stops being honoured for remembered tokens only after {@link #REMEMBER_FOR} at the
 * latest (the JWK set source caches keys for minutes as it is).
 */
public final class VerifiedTokens implements ReactiveJwtDecoder {

    static final Duration REMEMBER_FOR = Duration.ofMinutes(1);
    static final long MAX_TOKENS = 10_000;

    private final ReactiveJwtDecoder verifier;
    private final Clock clock;
    private final Cache<String, Jwt> verified = Caffeine.newBuilder()
            .maximumSize(MAX_TOKENS).expireAfterWrite(REMEMBER_FOR).build();

    public VerifiedTokens(ReactiveJwtDecoder verifier) {
        this(verifier, Clock.systemUTC());
    }

    VerifiedTokens(ReactiveJwtDecoder verifier, Clock clock) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.clock = clock;
    }

    /**
     * The token's verified form if the decoder accepted this exact token earlier and it is still strictly
     * within its validity; null otherwise (then only the decoder may answer). Never verifies anything itself:
     * the lean read paths use it to skip the security chain for a token that chain already accepted.
     */
    public Jwt remembered(String token) {
        Jwt known = verified.getIfPresent(token);
        return known != null && inForce(known, clock.instant()) ? known : null;
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = verified.getIfPresent(token);
        if (known != null && inForce(known, clock.instant())) {
            return Mono.just(known);
        }
        return verifier.decode(token).doOnNext(jwt -> {
            if (inForce(jwt, clock.instant())) {
                verified.put(token, jwt);
            }
        });
    }

    private static boolean inForce(Jwt jwt, Instant now) {
        Instant expiresAt = jwt.getExpiresAt();
        Instant notBefore = jwt.getNotBefore();
        return expiresAt != null && now.isBefore(expiresAt) && (notBefore == null || !now.isBefore(notBefore));
    }
}
