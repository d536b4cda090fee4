package io.channelstream.api.transfers;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.streams.KeyOwnerRouter;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.web.UnavailableException;
import io.channelstream.inventory.InventoryRules;
import io.channelstream.inventory.InventoryTopology;
import io.channelstream.inventory.TransferRanking;
import io.channelstream.inventory.TransferSources;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Transfer suggestions: gathers every instance's share of the candidate sources within the radius (like the
 * network view: each instance answers for its active partitions, asked in parallel with calls marked as
 * forwarded, and every partition must answer once), then ranks them ({@link TransferRanking}).
 */
@Service
public class TransferSuggestionService {

    private static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(5);

    private final TopologyRunner runner;
    private final TransferSettings settings;
    private final WebClient webClient = WebClient.builder().build();
    private final Duration retryAfter;

    public TransferSuggestionService(TopologyRunner runner, TransferSettings settings,
                                     ChannelstreamProperties properties) {
        this.runner = runner;
        this.settings = settings;
        this.retryAfter = properties.streams().retryAfter();
    }

    /** One instance's share, as another instance asks for it. */
    public record ShareView(String servedBy, TransferSources.Share share) {}

    /** What the destination has and sells. */
    public record DestinationView(long available, double saleRatePerDay, Integer safetyStockUnits,
                                  Double coverDays) {}

    /** A candidate source, with what it would send and why it ranks where it does. */
    public record CandidateView(int rank, String locationId, String locationName, String locationKind,
                                String regionCode, String dealerId, double distanceKm, long units,
                                List<TransferRanking.SentBatch> batches, long spareUnits, long transportCostFen,
                                double transferHours, double sourceSaleRatePerDay, Double sourceCoverDaysAfter,
                                long nearExpiryUnitsSaved, double score, TransferRanking.ScoreParts scoreParts,
                                List<String> reasons) {

        static CandidateView of(TransferRanking.Candidate c) {
            TransferSources.Place source = c.source();
            return new CandidateView(c.rank(), source.locationId(), source.name(), source.kind(), source.regionCode(),
                    source.dealerId(), round(source.distanceKm()), c.units(), c.batches(), c.spareUnits(),
                    c.transportCostFen(), round(c.transferHours()), round(source.saleRatePerDay()),
                    c.sourceCoverDaysAfter() == null ? null : round(c.sourceCoverDaysAfter()), c.nearExpiryUnitsSaved(),
                    c.score(), c.parts(), c.reasons());
        }
    }

    /**
     * @param candidatesConsidered sources within the radius holding units of the SKU (before "can it spare any")
     */
    public record SuggestionView(String locationId, String sku, long needed, String neededBecause, double radiusKm,
                                 DestinationView destination, List<CandidateView> candidates,
                                 int candidatesConsidered, boolean complete, Set<Integer> missingPartitions,
                                 List<String> servedBy) {}

    public Mono<ShareView> localShare(String sku, String destinationId, double radiusKm) {
        TransferSources sources = sources(streams());
        // store reads over every local partition: off the event loop
        return Mono.fromSupplier(() -> new ShareView(self(),
                        sources.share(sku, destinationId, radiusKm, System.currentTimeMillis())))
                .subscribeOn(Schedulers.boundedElastic());
    }

    /** One per running topology, so its coordinates snapshot serves many requests. */
    private TransferSources sources(KafkaStreams streams) {
        Held held = this.held;
        if (held == null || held.streams() != streams) {
            held = new Held(streams, new TransferSources(streams));
            this.held = held;
        }
        return held.sources();
    }

    private record Held(KafkaStreams streams, TransferSources sources) {}

    private volatile Held held;

    public Mono<SuggestionView> suggest(String destinationId, String sku, Integer quantity, double radiusKm, int limit,
                                        boolean acceptPartial, String authorization) {
        KafkaStreams streams = streams();
        Flux<ShareView> others = Flux.fromIterable(otherInstances(streams))
                .flatMap(instance -> askForShare(instance, destinationId, sku, radiusKm, authorization));
        return localShare(sku, destinationId, radiusKm).mergeWith(others).collectList()
                .map(shares -> rank(shares, destinationId, sku, quantity, radiusKm, limit, acceptPartial));
    }

    private SuggestionView rank(List<ShareView> shares, String destinationId, String sku, Integer quantity,
                                double radiusKm, int limit, boolean acceptPartial) {
        Set<Integer> answered = new TreeSet<>();
        TransferSources.Place destination = null;
        boolean destinationKnown = false;
        List<TransferSources.Place> sources = new ArrayList<>();
        List<String> servedBy = new ArrayList<>();
        for (ShareView view : shares) {
            TransferSources.Share share = view.share();
            for (Integer partition : share.servedPartitions()) {
                if (!answered.add(partition)) {
                    throw new UnavailableException("inventory is rebalancing: partition " + partition
                            + " answered from two instances", retryAfter);
                }
            }
            destinationKnown |= share.destinationKnown();
            if (share.destination() != null) {
                destination = share.destination();
            }
            sources.addAll(share.sources());
            if (!share.servedPartitions().isEmpty()) {
                servedBy.add(view.servedBy());
            }
        }
        if (!destinationKnown) {
            throw new UnavailableException("location " + destinationId + " has not reached the inventory's master "
                    + "data yet", retryAfter);
        }
        Set<Integer> missing = new TreeSet<>();
        IntStream.range(0, Topics.STOCK_MOVEMENTS.partitions()).filter(p -> !answered.contains(p)).forEach(missing::add);
        if (destination == null || (!missing.isEmpty() && !acceptPartial)) {
            // without the destination's own figures there is no need to rank against, partial or not
            throw new UnavailableException("inventory is rebalancing: partitions " + missing + " did not answer"
                    + (destination == null ? ", among them the destination's" : " (acceptPartial=true ranks the rest)"),
                    retryAfter);
        }
        TransferRanking.Economics economics = settings.economics();
        TransferRanking.Need need = TransferRanking.need(destination, quantity, economics);
        LocalDate today = LocalDate.now(InventoryRules.defaults().businessZone());
        List<CandidateView> candidates = TransferRanking.rank(destination, need.units(), sources, economics, today,
                limit).stream().map(CandidateView::of).toList();
        double rate = destination.saleRatePerDay();
        DestinationView here = new DestinationView(destination.available(), round(rate),
                destination.safetyStockUnits(), rate > 0 ? round(destination.available() / rate) : null);
        servedBy.sort(null);
        return new SuggestionView(destinationId, sku, need.units(), need.because(), radiusKm, here, candidates,
                sources.size(), missing.isEmpty(), missing, List.copyOf(servedBy));
    }

    private List<HostInfo> otherInstances(KafkaStreams streams) {
        HostInfo self = runner.self();
        try {
            return streams.streamsMetadataForStore(InventoryTopology.SALE_RATES_STORE).stream()
                    .map(StreamsMetadata::hostInfo)
                    .filter(host -> !host.equals(self))
                    .distinct()
                    .toList();
        } catch (InvalidStateStoreException | IllegalStateException notRunning) {
            throw new UnavailableException("the inventory topology is not running here yet (" + streams.state() + ")",
                    retryAfter);
        }
    }

    private Mono<ShareView> askForShare(HostInfo instance, String destinationId, String sku, double radiusKm,
                                        String authorization) {
        return webClient.get()
                .uri("http://{host}:{port}/api/locations/{location}/transfer-suggestions/{sku}/local?radiusKm={radius}",
                        instance.host(), instance.port(), destinationId, sku, radiusKm)
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(KeyOwnerRouter.FORWARDED_HEADER, "true")
                .retrieve()
                .bodyToMono(ShareView.class)
                .timeout(INSTANCE_TIMEOUT)
                // an instance that cannot answer leaves its partitions missing: the answer says which
                .onErrorResume(e -> Mono.empty());
    }

    private KafkaStreams streams() {
        return runner.streams(TopologyRunner.INVENTORY)
                .orElseThrow(() -> new UnavailableException("the inventory topology is not running here", retryAfter));
    }

    private String self() {
        return runner.self().host() + ":" + runner.self().port();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
