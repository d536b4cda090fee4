package io.channelstream.api.streams;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.api.web.UnavailableException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Answers a keyed query from the instance that owns the key's partition, for any topology: this one (a
 * local read of its store) or another (one non-blocking HTTP call carrying the caller's token, marked as
 * forwarded so that it is answered locally or refused, never forwarded again). While the owner is unknown
 * or its store is not ready the answer is 503 with Retry-After; a caller that accepts a stale answer gets
 * a standby's. The rules are those of the inventory queries, stated once.
 */
@Component
public class KeyOwnerRouter {

    /** Marks a query one instance sent to another. Same header as the inventory queries use. */
    public static final String FORWARDED_HEADER = "X-Channelstream-Forwarded";

    private final TopologyRunner runner;
    private final WebClient webClient;
    private final Duration retryAfter;

    public KeyOwnerRouter(TopologyRunner runner, ChannelstreamProperties properties) {
        this.runner = runner;
        this.webClient = WebClient.builder().build();
        this.retryAfter = properties.streams().retryAfter();
    }

    /** How this instance reads the key from its own store once it knows the partition. */
    @FunctionalInterface
    public interface LocalRead<T> {
        /** The answer, or an {@link UnavailableException} when this instance's copy cannot answer now. */
        T read(KafkaStreams streams, int partition, boolean acceptStale);
    }

    /**
     * One keyed query.
     *
     * @param topology     the topology whose store holds the key
     * @param subject      what is asked for, in words ("code X"), for error messages
     * @param ownerOf      where the key lives (Kafka Streams' metadata for the key)
     * @param readHere     the local read
     * @param forwardPath  path and query of the same endpoint on another instance, with {@code {name}} variables
     * @param pathVariables the values of those variables
     * @param answerType   the type the endpoint answers with
     */
    public record KeyedQuery<T>(
            String topology,
            String subject,
            Function<KafkaStreams, KeyQueryMetadata> ownerOf,
            LocalRead<T> readHere,
            String forwardPath,
            Map<String, ?> pathVariables,
            Class<T> answerType) {}

    public <T> Mono<T> route(KeyedQuery<T> query, boolean acceptStale, boolean forwarded, String authorization) {
        KafkaStreams streams = runner.streams(query.topology()).orElse(null);
        if (streams == null) {
            return Mono.error(new UnavailableException("the " + query.topology() + " topology is not running here",
                    retryAfter));
        }
        KeyQueryMetadata owner = query.ownerOf().apply(streams);
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return Mono.error(new UnavailableException(query.topology() + " is rebalancing; the owner of "
                    + query.subject() + " is not known yet", retryAfter));
        }
        HostInfo self = runner.self();
        boolean ownedHere = self.equals(owner.activeHost());
        boolean standbyHere = owner.standbyHosts().contains(self);
        if (ownedHere || forwarded || (acceptStale && standbyHere)) {
            return Mono.fromSupplier(() -> query.readHere().read(streams, owner.partition(), acceptStale));
        }
        return forward(owner.activeHost(), query, acceptStale, authorization);
    }

    /** This instance as {@code host:port}, for the {@code servedBy} of an answer. */
    public String self() {
        HostInfo self = runner.self();
        return self.host() + ":" + self.port();
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    private <T> Mono<T> forward(HostInfo owner, KeyedQuery<T> query, boolean acceptStale, String authorization) {
        String where = owner.host() + ":" + owner.port();
        Map<String, Object> variables = new HashMap<>(query.pathVariables());
        variables.put("ownerHost", owner.host());
        variables.put("ownerPort", owner.port());
        variables.put("acceptStale", acceptStale);
        // template values are encoded whole, so a code such as a Digital Link URI travels intact
        String template = "http://{ownerHost}:{ownerPort}" + query.forwardPath()
                + (query.forwardPath().contains("?") ? "&" : "?") + "acceptStale={acceptStale}";
        return webClient.get()
                .uri(template, variables)
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(FORWARDED_HEADER, "true")
                .retrieve()
                .onStatus(status -> status.is5xxServerError(), response -> Mono.just(new UnavailableException(
                        "the owner " + where + " could not answer: " + response.statusCode(), retryAfter)))
                .onStatus(status -> status.value() == HttpStatus.FORBIDDEN.value(), response -> Mono.just(
                        new ForbiddenException("you may not see " + query.subject())))
                .onStatus(status -> status.value() == HttpStatus.NOT_FOUND.value(), response -> Mono.just(
                        new NotFoundException("no " + query.subject())))
                .bodyToMono(query.answerType())
                .timeout(Duration.ofSeconds(5))
                .onErrorMap(e -> e instanceof WebClientRequestException || e instanceof TimeoutException,
                        e -> new UnavailableException("the owner " + where + " is unreachable", retryAfter));
    }
}
