package io.channelstream.api.ratelimit;

import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.web.FilterProblems;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Fixed-window request limits shared through Redis: the anonymous endpoints per client address, partner systems
 * per {@code partner_id}. Over the limit: 429 with {@code Retry-After} (seconds until the window ends). Counted
 * in this instance first and shared with the others every {@code flush-interval} ({@link SharedWindowCounts}:
 * one Redis call for all keys, not one per request; the bound on what instances together may admit over the
 * limit is stated there). When Redis cannot answer the request passes (availability over strictness) and the
 * failure is logged.
 * The client address is the connection's; behind a proxy set {@code server.forward-headers-strategy}
 * so that it is the forwarded one.
 */
@Component
public class RateLimitFilter implements WebFilter, Ordered, DisposableBean {

    /** After Spring Security (-100), so a partner is known; before the idempotency filter. */
    public static final int ORDER = 10;
    public static final String REMAINING_HEADER = "RateLimit-Remaining";

    private static final Mono<Boolean> FALSE = Mono.just(false);

    private final SharedWindowCounts counts;
    private final RateLimitSettings settings;
    private final ObjectMapper json;

    public RateLimitFilter(ReactiveStringRedisTemplate redis, RateLimitSettings settings, ObjectMapper json) {
        this.counts = new SharedWindowCounts(redis, settings.keyPrefix(), settings.flushInterval(),
                System::currentTimeMillis);
        this.settings = settings;
        this.json = json;
    }

    @Override
    public void destroy() {
        counts.close();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** The anonymous endpoints: the public trace lookup, including GS1 Digital Link paths. */
    public static boolean isPublic(String path) {
        return path.startsWith("/api/public/") || path.startsWith("/01/");
    }

    private record Bucket(String name, int requests, Duration window) {}

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!settings.enabled()) {
            return chain.filter(exchange);
        }
        return bucket(exchange)
                .flatMap(bucket -> refuses(exchange, bucket))
                .defaultIfEmpty(false)
                .flatMap(refused -> refused ? Mono.<Void>empty() : chain.filter(exchange));
    }

    /**
     * For the lean read paths, which answer ahead of this filter: counts an anonymous request against its
     * client address's limit; true when it was over the limit and has been answered 429.
     */
    public Mono<Boolean> refusesPublic(ServerWebExchange exchange) {
        return settings.enabled() ? refuses(exchange, publicBucket(exchange)) : Mono.just(false);
    }

    /**
     * For the lean read paths: counts a request with a verified token against its partner's limit (nothing to
     * count for other roles); true when it was over the limit and has been answered 429.
     */
    public Mono<Boolean> refusesPartner(ServerWebExchange exchange, Jwt jwt) {
        Bucket bucket = settings.enabled() ? partnerBucket(jwt) : null;
        return bucket == null ? Mono.just(false) : refuses(exchange, bucket);
    }

    /** Counts the request in its bucket; over the limit, answers 429 and gives true. */
    private Mono<Boolean> refuses(ServerWebExchange exchange, Bucket bucket) {
        return counts.count(bucket.name(), bucket.requests(), bucket.window()).flatMap(verdict -> {
            if (!verdict.admitted()) {
                long seconds = Math.max(1, (verdict.retryAfterMillis() + 999) / 1000);
                exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                exchange.getResponse().getHeaders().set(REMAINING_HEADER, "0");
                return FilterProblems.write(exchange.getResponse(), json, HttpStatus.TOO_MANY_REQUESTS,
                        "more than " + bucket.requests() + " requests in " + bucket.window()
                                + "; retry after " + seconds + " s", List.of()).thenReturn(true);
            }
            exchange.getResponse().getHeaders().set(REMAINING_HEADER, Long.toString(verdict.remaining()));
            return FALSE;
        });
    }

    private Mono<Bucket> bucket(ServerWebExchange exchange) {
        if (isPublic(exchange.getRequest().getPath().value())) {
            return Mono.just(publicBucket(exchange));
        }
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .mapNotNull(principal -> partnerBucket(((JwtAuthenticationToken) principal).getToken()));
    }

    private Bucket publicBucket(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        String client = remote == null || remote.getAddress() == null ? "unknown"
                : remote.getAddress().getHostAddress();
        return new Bucket("public:" + client, settings.publicRequests(), settings.publicWindow());
    }

    /** The partner's bucket, or null when the token is not a partner system's. */
    private Bucket partnerBucket(Jwt jwt) {
        if (!Role.PARTNER.name().equalsIgnoreCase(jwt.getClaimAsString(Caller.ROLE_CLAIM))) {
            return null;
        }
        String partner = jwt.getClaimAsString(Caller.PARTNER_CLAIM);
        return new Bucket("partner:" + (partner != null ? partner : jwt.getSubject()),
                settings.partnerRequests(), settings.partnerWindow());
    }

}
