package io.channelstream.api.inventory;

import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.ratelimit.RateLimitFilter;
import io.channelstream.api.security.BearerCallers;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.DirectAnswers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The lean path of the hottest read, {@code GET /api/locations/{locationId}/stock/{sku}}: answered here, ahead
 * of the security filter chain and the annotated controller, with the same decisions and the same answer as
 * {@link StockController#stockLevel}: the caller is the one its bearer token names (a token the chain's decoder
 * already verified and that is still in force, see {@link BearerCallers}), the location is checked by
 * {@link LocationDirectory#findVisible} (404 unknown, 403 outside the caller's scope), a partner's request
 * counts against its rate limit, and {@link InventoryQueryService} reads the owning partition here or forwards
 * once (503 with Retry-After while the owner is unknown).
 *
 * <p>What the lean path does not recognise goes the full way, unchanged: a request without a remembered token
 * (so every 401 is the chain's own, and a new token is verified and remembered there), a percent-encoded path,
 * an {@code acceptStale} or forwarded flag other than {@code true}/{@code false}, an {@code Accept} header JSON
 * may not satisfy. {@code channelstream.lean-reads.enabled=false} sends everything the full way.
 */
@Component
public class StockReadRoute implements WebFilter, Ordered {

    /** Ahead of Spring Security's chain (-100). */
    public static final int ORDER = -200;
    static final String PATTERN = "/api/locations/{locationId}/stock/{sku}";
    private static final String PREFIX = "/api/locations/";
    private static final String STOCK = "/stock/";

    private final BearerCallers bearers;
    private final LocationDirectory locations;
    private final InventoryQueryService queries;
    private final RateLimitFilter rateLimits;
    private final ObjectMapper json;
    private final Counter answered;
    private volatile boolean enabled;

    public StockReadRoute(BearerCallers bearers, LocationDirectory locations, InventoryQueryService queries,
                          RateLimitFilter rateLimits, ObjectMapper json,
                          MeterRegistry meters, @Value("${channelstream.lean-reads.enabled:true}") boolean enabled) {
        this.bearers = bearers;
        this.locations = locations;
        this.queries = queries;
        this.rateLimits = rateLimits;
        this.json = json;
        this.enabled = enabled;
        this.answered = DirectAnswers.answeredCounter(meters, "stock");
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** Turns the lean path on or off at run time (the equivalence test compares both in one application). */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    /** The location and SKU of a stock read path, or null when the path is not one. */
    record StockKey(String locationId, String sku) {

        static StockKey of(String path) {
            if (!path.startsWith(PREFIX)) {
                return null;
            }
            int stock = path.indexOf(STOCK, PREFIX.length());
            if (stock <= PREFIX.length()) {
                return null;
            }
            String locationId = path.substring(PREFIX.length(), stock);
            String sku = path.substring(stock + STOCK.length());
            return plainSegment(locationId) && plainSegment(sku) ? new StockKey(locationId, sku) : null;
        }

        /** One non-empty path segment that needs no decoding (no '%', no matrix ';'). */
        private static boolean plainSegment(String segment) {
            return !segment.isEmpty() && segment.indexOf('/') < 0 && segment.indexOf('%') < 0
                    && segment.indexOf(';') < 0;
        }
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!enabled) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        StockKey key = StockKey.of(request.getPath().value());
        if (key == null || !DirectAnswers.acceptsJsonGet(request)) {
            return chain.filter(exchange);
        }
        Boolean acceptStale = flag(request.getQueryParams().get("acceptStale"));
        Boolean forwarded = flag(request.getHeaders().get(InventoryQueryService.FORWARDED_HEADER));
        Jwt jwt = acceptStale == null || forwarded == null ? null : bearers.remembered(request);
        if (jwt == null) {
            return chain.filter(exchange);
        }
        answered.increment();
        DirectAnswers.observeAs(exchange, PATTERN);
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        DirectAnswers.withSecurityHeaders(exchange);
        return rateLimits.refusesPartner(exchange, jwt)
                .flatMap(refused -> refused ? Mono.empty() : Mono.fromSupplier(() -> Caller.from(jwt))
                        .flatMap(caller -> locations.findVisible(caller, key.locationId()))
                        .flatMap(location -> queries.stockLevel(location.locationId(), key.sku(), acceptStale,
                                forwarded, authorization))
                        .map(json::writeValueAsBytes)
                        .map(body -> DirectAnswers.json(exchange, HttpStatus.OK, body))
                        .onErrorResume(failure -> Mono.just(DirectAnswers.failure(exchange, json, failure)))
                        .flatMap(answer -> answer));
    }

    /**
     * A boolean request value as the controller reads it with its default {@code false}: absent is false; one
     * {@code true} or {@code false} is itself; anything else is null (left to the full path's conversion).
     */
    static Boolean flag(java.util.List<String> values) {
        if (values == null || values.isEmpty()) {
            return Boolean.FALSE;
        }
        if (values.size() != 1) {
            return null;
        }
        return switch (values.get(0)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }
}
