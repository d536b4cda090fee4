package io.channelstream.api.forecast;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.inventory.InventoryQueryService;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.api.web.UnavailableException;
import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.forecast.ForecastReads;
import io.channelstream.forecast.LocalRead;
import io.channelstream.forecast.model.BundlePartners;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Answers forecast queries from the instance that owns the data. A dealer × SKU lives on one
 * partition: read here when owned here, otherwise one non-blocking call to the owner, marked as
 * forwarded so it is never forwarded again. Co-purchase counts are spread over every partition (by
 * order): each instance sums its active partitions, this one asks the others for theirs, and the
 * answer is given only when every partition answered: an exact figure or a 503, never a partial one.
 */
@Service
public class ForecastQueryService {

    private final TopologyRunner runner;
    private final WebClient webClient;
    private final Duration retryAfter;

    public ForecastQueryService(TopologyRunner runner, ChannelstreamProperties properties) {
        this.runner = runner;
        this.webClient = WebClient.builder().build();
        this.retryAfter = properties.streams().retryAfter();
    }

    public Mono<ForecastViews.FeaturesView> features(String dealerId, String sku, boolean acceptStale,
                                                     boolean forwarded, String authorization) {
        return byDealerSku(dealerId, sku, acceptStale, forwarded, authorization, "features",
                ForecastViews.FeaturesView.class,
                (reads, partition) -> reads.features(dealerId, sku, partition, acceptStale),
                (DemandFeatures f, Boolean stale) -> ForecastViews.FeaturesView.of(f, self(), stale));
    }

    public Mono<ForecastViews.SuggestionView> suggestion(String dealerId, String sku, boolean acceptStale,
                                                         boolean forwarded, String authorization) {
        return byDealerSku(dealerId, sku, acceptStale, forwarded, authorization, "suggestion",
                ForecastViews.SuggestionView.class,
                (reads, partition) -> reads.suggestion(dealerId, sku, partition, acceptStale),
                (OrderSuggestion s, Boolean stale) -> ForecastViews.SuggestionView.of(s, self(), stale));
    }

    /** This instance's share of the co-purchase counts (asked by another instance). */
    public Mono<ForecastViews.PartialTallyView> localCoPurchase(String sku, LocalDate fromDay, LocalDate toDay) {
        ForecastReads reads = reads();
        return Mono.fromSupplier(() -> {
            ForecastReads.PartialTally partial = reads.coPurchaseTally(sku, fromDay, toDay);
            return new ForecastViews.PartialTallyView(partial.tally().orders(), partial.tally().ordersWithSku(),
                    partial.tally().ordersWithBoth(), partial.partitions());
        });
    }

    public Mono<ForecastViews.CoPurchaseView> coPurchase(String sku, LocalDate fromDay, LocalDate toDay, int limit,
                                                         String authorization) {
        ForecastReads reads = reads();
        Set<Integer> needed = reads.coPurchasePartitions();
        Map<String, Set<Integer>> owners = reads.coPurchaseOwners();
        String self = self();
        Flux<ForecastViews.PartialTallyView> others = Flux.fromIterable(owners.keySet())
                .filter(instance -> !instance.equals(self))
                .flatMap(instance -> askForPartial(HostInfo.buildFromEndpoint(instance), sku, fromDay, toDay,
                        authorization));
        return localCoPurchase(sku, fromDay, toDay)
                .concatWith(others)
                .collectList()
                .map(partials -> {
                    BundlePartners.Tally total = BundlePartners.Tally.empty();
                    Set<Integer> answered = new HashSet<>();
                    for (ForecastViews.PartialTallyView partial : partials) {
                        for (Integer partition : partial.partitions()) {
                            if (!answered.add(partition)) {
                                throw new UnavailableException("co-purchase partition " + partition
                                        + " answered twice during a rebalance", retryAfter);
                            }
                        }
                        total = total.plus(partial.tally());
                    }
                    if (needed.isEmpty() || !answered.containsAll(needed)) {
                        throw new UnavailableException("co-purchase counts are rebalancing: partitions " + needed
                                + " needed, " + answered + " answered", retryAfter);
                    }
                    return new ForecastViews.CoPurchaseView(sku, fromDay, toDay, total.orders(),
                            total.ordersWithSku().getOrDefault(sku, 0L), BundlePartners.rank(sku, total, limit));
                });
    }

    private interface LocalLookup<V> {
        LocalRead<V> read(ForecastReads reads, int partition);
    }

    private interface ToView<V, T> {
        T view(V value, Boolean stale);
    }

    private <V, T> Mono<T> byDealerSku(String dealerId, String sku, boolean acceptStale, boolean forwarded,
                                       String authorization, String what, Class<T> viewType,
                                       LocalLookup<V> lookup, ToView<V, T> toView) {
        ForecastReads reads = reads();
        KeyQueryMetadata owner = reads.ownerOf(dealerId, sku);
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            return Mono.error(new UnavailableException("forecast is rebalancing; the owner of " + dealerId + "|" + sku
                    + " is not known yet", retryAfter));
        }
        HostInfo self = runner.self();
        boolean here = self.equals(owner.activeHost()) || forwarded
                || (acceptStale && owner.standbyHosts().contains(self));
        if (here) {
            return Mono.fromSupplier(() -> {
                LocalRead<V> read = lookup.read(reads, owner.partition());
                if (read instanceof LocalRead.Served<V> served) {
                    if (served.value() == null) {
                        throw new NotFoundException("no " + what + " for dealer " + dealerId + " and SKU " + sku
                                + " yet: no order, sale or stock of it has been counted");
                    }
                    return toView.view(served.value(), served.fromStandby());
                }
                LocalRead.Unavailable<V> unavailable = (LocalRead.Unavailable<V>) read;
                throw new UnavailableException("the forecast store for " + dealerId + "|" + sku + " is not ready here ("
                        + unavailable.reason() + ")", retryAfter);
            });
        }
        HostInfo active = owner.activeHost();
        return webClient.get()
                .uri("http://{host}:{port}/api/forecast/dealers/{dealer}/skus/{sku}/{what}?acceptStale={stale}",
                        active.host(), active.port(), dealerId, sku, what, acceptStale)
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(InventoryQueryService.FORWARDED_HEADER, "true")
                .retrieve()
                .onStatus(HttpStatusCode::is5xxServerError, response -> Mono.just(new UnavailableException(
                        "the owner " + active.host() + ":" + active.port() + " could not answer: "
                                + response.statusCode(), retryAfter)))
                .onStatus(status -> status.value() == 404, response -> Mono.just(new NotFoundException(
                        "no " + what + " for dealer " + dealerId + " and SKU " + sku + " yet")))
                .bodyToMono(viewType)
                .timeout(Duration.ofSeconds(5))
                .onErrorMap(e -> e instanceof WebClientRequestException || e instanceof TimeoutException,
                        e -> new UnavailableException("the owner " + active.host() + ":" + active.port()
                                + " is unreachable", retryAfter));
    }

    private Mono<ForecastViews.PartialTallyView> askForPartial(HostInfo instance, String sku, LocalDate fromDay,
                                                               LocalDate toDay, String authorization) {
        return webClient.get()
                .uri("http://{host}:{port}/api/forecast/skus/{sku}/co-purchase/local?from={from}&to={to}",
                        instance.host(), instance.port(), sku, fromDay, toDay)
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(InventoryQueryService.FORWARDED_HEADER, "true")
                .retrieve()
                .bodyToMono(ForecastViews.PartialTallyView.class)
                .timeout(Duration.ofSeconds(5))
                // an instance that cannot answer leaves its partitions unanswered: the caller gets a 503
                .onErrorResume(e -> Mono.empty());
    }

    private ForecastReads reads() {
        KafkaStreams streams = runner.streams(ForecastConfiguration.FORECAST)
                .orElseThrow(() -> new UnavailableException("the forecast topology is not running here", retryAfter));
        return new ForecastReads(streams);
    }

    private String self() {
        return runner.self().host() + ":" + runner.self().port();
    }
}
