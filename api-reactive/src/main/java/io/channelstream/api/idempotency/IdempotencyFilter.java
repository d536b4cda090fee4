package io.channelstream.api.idempotency;

import io.channelstream.api.web.FieldProblem;
import io.channelstream.api.web.FilterProblems;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Makes every POST command safe to retry with an {@code Idempotency-Key} header (the IETF httpapi draft's
 * semantics): the first request with a key runs and its answer is kept in Redis; a retry with the same
 * key and the same request gets that answer again (marked {@code Idempotent-Replayed: true}) and runs
 * nothing, so no second event is published; the same key with a different request is refused with 422;
 * a retry while the first is still running gets 409 with {@code Retry-After}. Claiming a key is one Redis
 * {@code SET NX}, so of concurrent duplicates exactly one runs, on whichever instance. Keys are scoped
 * per caller (token subject): two dealers may pick the same key. A 5xx answer is not kept: the command
 * may not have happened, and the client should be able to retry it.
 */
@Component
public class IdempotencyFilter implements WebFilter, Ordered {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    /** After Spring Security (-100, so the caller is known) and the rate limiter (10). */
    public static final int ORDER = 20;

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final ReactiveStringRedisTemplate redis;
    private final IdempotencySettings settings;
    private final ObjectMapper json;

    public IdempotencyFilter(ReactiveStringRedisTemplate redis, IdempotencySettings settings, ObjectMapper json) {
        this.redis = redis;
        this.settings = settings;
        this.json = json;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String key = request.getHeaders().getFirst(HEADER);
        if (!HttpMethod.POST.equals(request.getMethod()) || key == null) {
            return chain.filter(exchange);
        }
        if (key.isBlank() || key.length() > settings.maxKeyLength()) {
            return refuse(exchange, HttpStatus.BAD_REQUEST, "the Idempotency-Key header is invalid",
                    "must be 1 to " + settings.maxKeyLength() + " characters");
        }
        return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("anonymous")
                .flatMap(caller -> DataBufferUtils.join(request.getBody(), settings.maxBodyBytes())
                        .map(IdempotencyFilter::bytes)
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> claimOrReplay(exchange, chain, caller, key, body)))
                .onErrorResume(DataBufferLimitException.class, tooLarge -> refuse(exchange,
                        HttpStatus.PAYLOAD_TOO_LARGE, "the command body is too large",
                        "at most " + settings.maxBodyBytes() + " bytes"));
    }

    private Mono<Void> claimOrReplay(ServerWebExchange exchange, WebFilterChain chain, String caller, String key,
                                     byte[] body) {
        ServerHttpRequest request = exchange.getRequest();
        String fingerprint = sha256(request.getMethod().name() + " " + request.getURI().getRawPath() + "?"
                + request.getURI().getRawQuery() + "\n", body);
        String redisKey = settings.keyPrefix() + caller + ":" + key;
        return redis.opsForValue()
                .setIfAbsent(redisKey, json.writeValueAsString(StoredCommand.inFlight(fingerprint)),
                        settings.inFlightTtl())
                .flatMap(claimed -> claimed
                        ? run(exchange, chain, redisKey, fingerprint, body)
                        : redis.opsForValue().get(redisKey)
                                .map(stored -> json.readValue(stored, StoredCommand.class))
                                .flatMap(stored -> answerRetry(exchange, stored, fingerprint))
                                // the key expired between our claim and our read: the first one is gone
                                .switchIfEmpty(Mono.defer(() -> stillRunning(exchange))));
    }

    private Mono<Void> run(ServerWebExchange exchange, WebFilterChain chain, String redisKey, String fingerprint,
                           byte[] body) {
        ServerHttpRequest replayableBody = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(body)));
            }
        };
        CapturingResponse response = new CapturingResponse(exchange.getResponse());
        return chain.filter(exchange.mutate().request(replayableBody).response(response).build())
                .then(Mono.defer(() -> remember(redisKey, fingerprint, response)))
                .onErrorResume(error -> redis.delete(redisKey).then(Mono.error(error)));
    }

    private Mono<Void> remember(String redisKey, String fingerprint, CapturingResponse response) {
        HttpStatusCode status = response.getStatusCode() == null ? HttpStatus.OK : response.getStatusCode();
        if (status.is5xxServerError() || response.streamed) {
            return redis.delete(redisKey).then();
        }
        HttpHeaders headers = response.getHeaders();
        StoredCommand completed = new StoredCommand(StoredCommand.COMPLETED, fingerprint, status.value(),
                headers.getContentType() == null ? null : headers.getContentType().toString(),
                headers.getFirst(HttpHeaders.LOCATION),
                Base64.getEncoder().encodeToString(response.captured == null ? new byte[0] : response.captured));
        return redis.opsForValue().set(redisKey, json.writeValueAsString(completed), settings.ttl())
                .doOnError(e -> log.warn("could not keep the answer of {} for replay", redisKey, e))
                .onErrorResume(e -> Mono.just(false))
                .then();
    }

    private Mono<Void> answerRetry(ServerWebExchange exchange, StoredCommand stored, String fingerprint) {
        if (!stored.fingerprint().equals(fingerprint)) {
            return refuse(exchange, HttpStatus.UNPROCESSABLE_CONTENT,
                    "this Idempotency-Key was already used for a different request",
                    "already used with another method, path or body; use a new key for a new command");
        }
        if (StoredCommand.IN_FLIGHT.equals(stored.state())) {
            return stillRunning(exchange);
        }
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(HttpStatusCode.valueOf(stored.status()));
        if (stored.contentType() != null) {
            response.getHeaders().setContentType(MediaType.parseMediaType(stored.contentType()));
        }
        if (stored.location() != null) {
            response.getHeaders().set(HttpHeaders.LOCATION, stored.location());
        }
        response.getHeaders().set(REPLAYED_HEADER, "true");
        byte[] body = Base64.getDecoder().decode(stored.body());
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }

    private Mono<Void> stillRunning(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return refuse(exchange, HttpStatus.CONFLICT, "a request with this Idempotency-Key is still running",
                "retry once the first request has completed; it will then be answered with its result");
    }

    private Mono<Void> refuse(ServerWebExchange exchange, HttpStatus status, String message, String reason) {
        return FilterProblems.write(exchange.getResponse(), json, status, message,
                List.of(new FieldProblem(HEADER, reason)));
    }

    /** Passes the answer through, keeping a copy of its body for replay. */
    private static final class CapturingResponse extends ServerHttpResponseDecorator {
        private volatile byte[] captured;
        private volatile boolean streamed;

        CapturingResponse(ServerHttpResponse delegate) {
            super(delegate);
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return DataBufferUtils.join(Flux.from(body))
                    .map(IdempotencyFilter::bytes)
                    .defaultIfEmpty(new byte[0])
                    .flatMap(bytes -> {
                        captured = bytes;
                        return getDelegate().writeWith(Mono.just(getDelegate().bufferFactory().wrap(bytes)));
                    });
        }

        @Override
        public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
            streamed = true; // a stream is not a replayable answer
            return getDelegate().writeAndFlushWith(body);
        }
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private static String sha256(String head, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(head.getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
