package io.channelstream.api.inventory;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.web.UnavailableException;
import io.channelstream.inventory.InventoryReads;
import io.channelstream.events.OrderReservation;
import io.channelstream.inventory.LocalRead;
import io.channelstream.inventory.StockLevel;
import java.util.Optional;
import java.util.function.BiFunction;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/**
 * Answers stock queries from the instance that owns the location's partition: this one (a local
 * IQv1 store read, see InventoryReads) or another (one non-blocking HTTP call, marked as forwarded so it is never forwarded
 * again). While the owner is unknown or its store is not ready, the answer is 503 with
 * Retry-After, or, if the caller accepts it, a standby copy's answer marked stale.
 */
@Service
public class InventoryQueryService {

    /** Marks a query one instance sent to another; such a query is answered locally or refused. */
    public static final String FORWARDED_HEADER = "X-Channelstream-Forwarded";

    private final TopologyRunner runner;
    private final WebClient webClient;
    private final Duration retryAfter;

    public InventoryQueryService(TopologyRunner runner, ChannelstreamProperties properties) {
        this.runner = runner;
        // one pooled, non-blocking client for instance-to-instance queries
        this.webClient = WebClient.builder().build();
        this.retryAfter = properties.streams().retryAfter();
    }

    public Mono<StockLevelView> stockLevel(String locationId, String sku, boolean acceptStale,
                                           boolean forwarded, String authorization) {
        return routed(locationId, acceptStale, forwarded, authorization,
                (reads, partition) -> stockLevelHere(reads, locationId, sku, partition, acceptStale),
                StockLevelView.class,
                "/api/locations/{location}/stock/{sku}?acceptStale={stale}", locationId, sku, acceptStale);
    }

    /** The outcome of an order at its fulfilling location, from the instance that owns that location. */
    public Mono<ReservationView> orderReservation(String locationId, String orderId, boolean forwarded,
                                                  String authorization) {
        return routed(locationId, false, forwarded, authorization,
                (reads, partition) -> reservationHere(reads, locationId, orderId, partition),
                ReservationView.class,
                "/api/locations/{location}/orders/{order}/reservation", locationId, orderId);
    }

    /**
     * Answers from this instance when it owns the location's partition (or holds a standby and the
     * caller accepts stale reads, or the query was already forwarded once); otherwise forwards once.
     */
    private <T> Mono<T> routed(String locationId, boolean acceptStale, boolean forwarded, String authorization,
                               BiFunction<InventoryReads, Integer, T> readHere, Class<T> type,
                               String path, Object... uriVariables) {
        KafkaStreams streams = runner.streams(TopologyRunner.INVENTORY)
                .orElseThrow(() -> new UnavailableException("the inventory topology is not running here", retryAfter));
        InventoryReads reads = new InventoryReads(streams);
        KeyQueryMetadata owner = reads.ownerOf(locationId);
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return Mono.error(new UnavailableException("inventory is rebalancing; the owner of location "
                    + locationId + " is not known yet", retryAfter));
        }
        HostInfo self = runner.self();
        boolean ownedHere = self.equals(owner.activeHost());
        boolean standbyHere = owner.standbyHosts().contains(self);
        if (ownedHere || forwarded || (acceptStale && standbyHere)) {
            return Mono.fromSupplier(() -> readHere.apply(reads, owner.partition()));
        }
        return forward(owner.activeHost(), authorization, type, path, uriVariables);
    }

    private StockLevelView stockLevelHere(InventoryReads reads, String locationId, String sku, int partition,
                                          boolean acceptStale) {
        LocalRead<StockLevel> read = reads.stockLevel(locationId, sku, partition, acceptStale);
        if (read instanceof LocalRead.Served<StockLevel> served) {
            return StockLevelView.of(served.value(), servedBy(), served.fromStandby());
        }
        throw notReady(locationId, (LocalRead.Unavailable<?>) read);
    }

    private ReservationView reservationHere(InventoryReads reads, String locationId, String orderId, int partition) {
        LocalRead<Optional<OrderReservation>> read = reads.orderReservation(locationId, orderId, partition);
        if (read instanceof LocalRead.Served<Optional<OrderReservation>> served) {
            return served.value().map(outcome -> ReservationView.of(outcome, servedBy()))
                    .orElseGet(() -> ReservationView.pending(orderId, locationId, servedBy()));
        }
        throw notReady(locationId, (LocalRead.Unavailable<?>) read);
    }

    private UnavailableException notReady(String locationId, LocalRead.Unavailable<?> unavailable) {
        return new UnavailableException("the store for location " + locationId + " is not ready here ("
                + unavailable.reason() + ")", retryAfter);
    }

    private String servedBy() {
        return runner.self().host() + ":" + runner.self().port();
    }

    private <T> Mono<T> forward(HostInfo owner, String authorization, Class<T> type, String path,
                                Object... uriVariables) {
        return webClient.get()
                .uri(uri -> uri.scheme("http").host(owner.host()).port(owner.port()).path(pathOnly(path))
                        .query(queryOnly(path)).build(uriVariables))
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(FORWARDED_HEADER, "true")
                .retrieve()
                .onStatus(HttpStatusCode::is5xxServerError, response -> Mono.just(new UnavailableException(
                        "the owner " + owner.host() + ":" + owner.port() + " could not answer: "
                                + response.statusCode(), retryAfter)))
                .bodyToMono(type)
                .timeout(Duration.ofSeconds(5))
                .onErrorMap(e -> e instanceof WebClientRequestException || e instanceof TimeoutException,
                        e -> new UnavailableException("the owner " + owner.host() + ":" + owner.port()
                                + " is unreachable", retryAfter));
    }

    private static String pathOnly(String template) {
        int query = template.indexOf('?');
        return query < 0 ? template : template.substring(0, query);
    }

    private static String queryOnly(String template) {
        int query = template.indexOf('?');
        return query < 0 ? null : template.substring(query + 1);
    }
}
