package io.channelstream.api.trace;

import io.channelstream.api.inventory.StockReadRoute;
import io.channelstream.api.ratelimit.RateLimitFilter;
import io.channelstream.api.trace.TraceLookup.PublicTrace;
import io.channelstream.api.web.DirectAnswers;
import java.util.List;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The lean path of the public trace lookup ({@code GET /api/public/trace?code=}, and the GS1 Digital Link paths
 * {@code /01/{gtin}/10/{batch}/21/{serial}} and {@code /api/public/trace/01/...}): answered here, ahead of the
 * security chain and the controller, with {@link TraceController}'s answers: the client address's rate limit
 * (429 with Retry-After), {@link PublicTraceAnswers}' rules (400 naming the field, the CONSUMER scan, 404 for an
 * unknown code), and the cached, already encoded public view ({@link TraceLookup#publicTrace}).
 *
 * <p>What it does not recognise goes the full way, unchanged: a request carrying an {@code Authorization} header
 * (the chain verifies any token it is given, even on public paths), a missing, empty or repeated parameter, a
 * coordinate that is not a plain number, a percent-encoded path. {@code channelstream.lean-reads.enabled=false}
 * sends everything the full way.
 */
@Component
public class TraceLookupRoute implements WebFilter, Ordered {

    static final String BY_CODE = "/api/public/trace";
    private static final String PUBLIC_PREFIX = "/api/public/trace";

    private final PublicTraceAnswers answers;
    private final RateLimitFilter rateLimits;
    private final ObjectMapper json;
    private final Counter answered;
    private volatile boolean enabled;

    public TraceLookupRoute(PublicTraceAnswers answers, RateLimitFilter rateLimits, ObjectMapper json,
                            MeterRegistry meters, @Value("${channelstream.lean-reads.enabled:true}") boolean enabled) {
        this.answers = answers;
        this.rateLimits = rateLimits;
        this.json = json;
        this.enabled = enabled;
        this.answered = DirectAnswers.answeredCounter(meters, "trace");
    }

    @Override
    public int getOrder() {
        return StockReadRoute.ORDER;
    }

    /** Turns the lean path on or off at run time (the equivalence test compares both in one application). */
    public void enabled(boolean on) {
        this.enabled = on;
    }

    /** The parts of a Digital Link path, or null when the path is not one (with a pattern for the metrics). */
    record DigitalLinkPath(String gtin, String batch, String serial, String pattern) {

        static DigitalLinkPath of(String path) {
            String pattern = "/01/{gtin}/10/{batch}/21/{serial}";
            if (path.startsWith(PUBLIC_PREFIX + "/01/")) {
                path = path.substring(PUBLIC_PREFIX.length());
                pattern = PUBLIC_PREFIX + pattern;
            }
            if (!path.startsWith("/01/")) {
                return null;
            }
            String[] parts = path.substring(1).split("/", -1);
            if (parts.length != 6 || !parts[2].equals("10") || !parts[4].equals("21")) {
                return null;
            }
            for (int i = 1; i < 6; i += 2) {
                if (parts[i].isEmpty() || parts[i].indexOf('%') >= 0 || parts[i].indexOf(';') >= 0) {
                    return null;
                }
            }
            return new DigitalLinkPath(parts[1], parts[3], parts[5], pattern);
        }
    }

    /** The optional parameters, each absent or one plain value; null when one is not (the full path decides). */
    record Whereabouts(String regionCode, Double latitude, Double longitude) {

        static Whereabouts of(MultiValueMap<String, String> query) {
            String regionCode = single(query, "regionCode");
            String latitude = single(query, "latitude");
            String longitude = single(query, "longitude");
            if (UNUSABLE == regionCode || UNUSABLE == latitude || UNUSABLE == longitude
                    || !plainNumber(latitude) || !plainNumber(longitude)) {
                return null;
            }
            return new Whereabouts(regionCode, latitude == null ? null : Double.valueOf(latitude),
                    longitude == null ? null : Double.valueOf(longitude));
        }

        /** Degrees as a consumer app sends them, which Double.valueOf reads exactly as the full path's conversion. */
        private static boolean plainNumber(String value) {
            return value == null || value.matches("[-+]?[0-9]{1,3}(\\.[0-9]{1,15})?");
        }
    }

    /** Marks (by identity) a parameter the lean path leaves to the full one: empty or repeated. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String UNUSABLE = new String("");

    private static String single(MultiValueMap<String, String> query, String name) {
        List<String> values = query.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() != 1 || values.get(0) == null || values.get(0).isEmpty()) {
            return UNUSABLE;
        }
        return values.get(0);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!enabled) {
            return chain.filter(exchange);
        }
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().value();
        boolean byCode = path.equals(BY_CODE);
        DigitalLinkPath link = byCode ? null : DigitalLinkPath.of(path);
        if ((!byCode && link == null) || !DirectAnswers.acceptsJsonGet(request)
                || request.getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
            return chain.filter(exchange);
        }
        MultiValueMap<String, String> query = request.getQueryParams();
        Whereabouts where = Whereabouts.of(query);
        String code = byCode ? single(query, "code") : null;
        if (where == null || (byCode && (code == null || UNUSABLE == code))) {
            return chain.filter(exchange);
        }
        answered.increment();
        DirectAnswers.observeAs(exchange, byCode ? BY_CODE : link.pattern());
        DirectAnswers.withSecurityHeaders(exchange);
        return rateLimits.refusesPublic(exchange)
                .flatMap(refused -> refused ? Mono.empty() : (byCode
                        ? answers.byCode(code, where.regionCode(), where.latitude(), where.longitude())
                        : answers.byDigitalLink(link.gtin(), link.batch(), link.serial(), where.regionCode(),
                                where.latitude(), where.longitude()))
                        .map(PublicTrace::json)
                        .map(body -> DirectAnswers.json(exchange, HttpStatus.OK, body))
                        .onErrorResume(failure -> Mono.just(DirectAnswers.failure(exchange, json, failure)))
                        .flatMap(answer -> answer));
    }
}
