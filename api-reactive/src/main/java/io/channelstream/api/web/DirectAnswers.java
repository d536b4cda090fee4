package io.channelstream.api.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * How the lean read paths (web filters that answer a hot GET themselves, ahead of the security chain and the
 * annotated controllers) write their answers so that a client sees exactly what the full stack sends: the
 * same status, JSON body and headers, including the response headers the security chain adds to every
 * answer. {@code LeanReadsEquivalenceTest} compares both paths header by header.
 */
public final class DirectAnswers {

    /** What Spring Security's default header writers add to every answer of the API chain over plain HTTP. */
    private static final List<String[]> SECURITY_HEADERS = List.of(
            new String[] {"X-Content-Type-Options", "nosniff"},
            new String[] {"X-XSS-Protection", "0"},
            new String[] {HttpHeaders.CACHE_CONTROL, "no-cache, no-store, max-age=0, must-revalidate"},
            new String[] {HttpHeaders.PRAGMA, "no-cache"},
            new String[] {HttpHeaders.EXPIRES, "0"},
            new String[] {"X-Frame-Options", "DENY"},
            new String[] {"Referrer-Policy", "no-referrer"});

    private DirectAnswers() {
    }

    /**
     * Whether a request is a plain GET the lean path may answer: no body, and an {@code Accept} header (if any)
     * that JSON satisfies. Anything else goes the full way, which answers it as it always did (406, 405...).
     */
    public static boolean acceptsJsonGet(ServerHttpRequest request) {
        if (request.getMethod() != HttpMethod.GET) {
            return false;
        }
        List<String> accept = request.getHeaders().get(HttpHeaders.ACCEPT);
        if (accept == null || accept.isEmpty()) {
            return true;
        }
        if (accept.size() != 1) {
            return false;
        }
        String value = accept.get(0);
        // the common ones only; a q-valued or exotic list is left to content negotiation
        return value.equals("*/*") || value.equals("application/json") || value.equals("application/*")
                || value.equals("application/json, */*") || value.equals("application/json, text/plain, */*");
    }

    /** Counts the requests a lean path answered itself ({@code channelstream.lean_reads{route}}). */
    public static Counter answeredCounter(MeterRegistry meters, String route) {
        return Counter.builder("channelstream.lean_reads")
                .description("Hot GETs answered by their lean path, ahead of the security chain and the controllers")
                .tag("route", route)
                .register(meters);
    }

    /**
     * Names the route the request took for the {@code http.server.requests} observation ({@code uri} tag),
     * as the annotated mapping does, so the metrics of a lean answer land in the same series.
     */
    public static void observeAs(ServerWebExchange exchange, String pathPattern) {
        ServerRequestObservationContext.findCurrent(exchange.getAttributes())
                .ifPresent(context -> context.setPathPattern(pathPattern));
    }

    /**
     * Adds the security chain's response headers at once, so that an answer written by another component
     * (a 429 of the rate limit) carries them as it would behind the chain.
     */
    public static void withSecurityHeaders(ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getResponse().getHeaders();
        for (String[] header : SECURITY_HEADERS) {
            headers.set(header[0], header[1]);
        }
    }

    /** A JSON answer from bytes already encoded. */
    public static Mono<Void> json(ServerWebExchange exchange, HttpStatus status, byte[] body) {
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        withSecurityHeaders(exchange);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(body.length);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    /** A refusal, in the shape and with the headers {@link ApiErrorHandler} gives it. */
    public static Mono<Void> problem(ServerWebExchange exchange, ObjectMapper json, ApiProblem problem) {
        if (problem.retryAfterSeconds() != null) {
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, problem.retryAfterSeconds());
        }
        return json(exchange, problem.status(), json.writeValueAsBytes(problem.body()));
    }

    /**
     * Answers a failure of the lean path: the API's own refusals as {@link ApiErrorHandler} would; anything
     * else is passed on to WebFlux's error handling, as a failing controller's would be.
     */
    public static Mono<Void> failure(ServerWebExchange exchange, ObjectMapper json, Throwable failure) {
        ApiProblem problem = ApiProblem.of(failure);
        return problem == null ? Mono.error(failure) : problem(exchange, json, problem);
    }
}
