package io.channelstream.api.ratelimit;

import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.web.FilterProblems;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
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
 * Fixed-window request limits in Redis: the anonymous endpoints per client address, partner systems per
 * {@code partner_id}. Over the limit: 429 with {@code Retry-After} (seconds until the window ends). One
 * Lua script counts and sets the window's expiry atomically, so every instance shares one count. When
 * Redis cannot answer the request passes (availability over strictness) and the failure is logged.
 * The client address is the connection's; behind a proxy set {@code server.forward-headers-strategy}
 * so that it is the forwarded one.
 */
@Component
public class RateLimitFilter implements WebFilter, Ordered {

    /** After Spring Security (-100), so a partner is known; before the idempotency filter. */
    public static final int ORDER = 10;
    public static final String REMAINING_HEADER = "RateLimit-Remaining";

    private static final Logger log = LoggerFactory.getLogger(RateLimitFilter.class);

    // returns {count in this window, milliseconds until the window ends}
    private static final RedisScript<List> COUNT = RedisScript.of("""
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return {count, redis.call('PTTL', KEYS[1])}
            """, List.class);

    private final ReactiveStringRedisTemplate redis;
    private final RateLimitSettings settings;
    private final ObjectMapper json;

    public RateLimitFilter(ReactiveStringRedisTemplate redis, RateLimitSettings settings, ObjectMapper json) {
        this.redis = redis;
        this.settings = settings;
        this.json = json;
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
        return count(bucket).map(verdict -> {
                    long count = verdict.get(0);
                    long remainingMillis = Math.max(verdict.get(1), 1);
                    if (count > bucket.requests()) {
                        long seconds = Math.max(1, (remainingMillis + 999) / 1000);
                        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                        exchange.getResponse().getHeaders().set(REMAINING_HEADER, "0");
                        return FilterProblems.write(exchange.getResponse(), json, HttpStatus.TOO_MANY_REQUESTS,
                                "more than " + bucket.requests() + " requests in " + bucket.window()
                                        + "; retry after " + seconds + " s", List.of()).thenReturn(true);
                    }
                    exchange.getResponse().getHeaders().set(REMAINING_HEADER,
                            Long.toString(bucket.requests() - count));
                    return Mono.just(false);
                })
                .flatMap(answer -> answer)
                .defaultIfEmpty(false);
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

    /** Counts the request; the window is part of the key, so instances configured differently never share a count. */
    @SuppressWarnings("unchecked")
    private Mono<List<Long>> count(Bucket bucket) {
        String key = settings.keyPrefix() + bucket.window().toMillis() + ":" + bucket.name();
        return redis.execute(COUNT, List.of(key), List.of(Long.toString(bucket.window().toMillis())))
                .next()
                .map(result -> (List<Long>) result)
                .doOnError(e -> log.warn("rate limit of {} not checked: Redis did not answer ({})", bucket.name(),
                        e.toString()))
                .onErrorResume(e -> Mono.empty());
    }
}
