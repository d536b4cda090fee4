package io.channelstream.api.inventory;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.web.UnavailableException;
import io.channelstream.inventory.InventoryReads;
import io.channelstream.inventory.LocalRead;
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
 * IQv2 read) or another (one non-blocking HTTP call, marked as forwarded so it is never forwarded
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
            return Mono.fromSupplier(() -> readLocally(reads, locationId, sku, owner.partition(), acceptStale));
        }
        return forward(owner.activeHost(), locationId, sku, acceptStale, authorization);
    }

    private StockLevelView readLocally(InventoryReads reads, String locationId, String sku, int partition,
                                       boolean acceptStale) {
        LocalRead<io.channelstream.inventory.StockLevel> read =
                reads.stockLevel(locationId, sku, partition, acceptStale);
        if (read instanceof LocalRead.Served<io.channelstream.inventory.StockLevel> served) {
            return StockLevelView.of(served.value(), runner.self().host() + ":" + runner.self().port(),
                    served.fromStandby());
        }
        LocalRead.Unavailable<?> unavailable = (LocalRead.Unavailable<?>) read;
        throw new UnavailableException("the store for location " + locationId + " is not ready here ("
                + unavailable.reason() + ")", retryAfter);
    }

    private Mono<StockLevelView> forward(HostInfo owner, String locationId, String sku, boolean acceptStale,
                                         String authorization) {
        return webClient.get()
                .uri("http://{host}:{port}/api/locations/{location}/stock/{sku}?acceptStale={stale}",
                        owner.host(), owner.port(), locationId, sku, acceptStale)
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(FORWARDED_HEADER, "true")
                .retrieve()
                .onStatus(HttpStatusCode::is5xxServerError, response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(body -> new UnavailableException("the owner " + owner.host() + ":" + owner.port()
                                + " could not answer: " + response.statusCode(), retryAfter)))
                .bodyToMono(StockLevelView.class)
                .timeout(Duration.ofSeconds(5))
                .onErrorMap(e -> e instanceof WebClientRequestException || e instanceof TimeoutException,
                        e -> new UnavailableException("the owner " + owner.host() + ":" + owner.port()
                                + " is unreachable", retryAfter));
    }
}
