package io.channelstream.api.inventory;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.inventory.NetworkViews.HoldingView;
import io.channelstream.api.inventory.NetworkViews.LocationStockView;
import io.channelstream.api.inventory.NetworkViews.NetworkPage;
import io.channelstream.api.inventory.NetworkViews.ShareView;
import io.channelstream.api.inventory.NetworkViews.Totals;
import io.channelstream.api.masterdata.Location;
import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.UnavailableException;
import io.channelstream.inventory.InventoryTopology;
import io.channelstream.inventory.NetworkReads;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.Topics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The network view: one SKU (or one batch) across every location, gathered from every instance. Each
 * instance answers for the partitions whose active task runs there (a prefix scan of the network index,
 * scoped to the caller); the instance serving the request asks the others in parallel with non-blocking
 * calls marked as forwarded (a forwarded request is answered from local partitions only, never passed on),
 * and checks that every partition answered exactly once. If not (a rebalance, an unreachable instance) the
 * answer is 503 with Retry-After, or, when the caller accepts it, a partial answer marked
 * {@code complete: false} with the missing partitions named.
 */
@Service
public class NetworkStockService {

    /** What to gather: {@code batch}, {@code region} and {@code dealerId} are optional narrowings. */
    public record Filter(String sku, String batch, String region, String dealerId) {}

    /** Every instance's answers put together. */
    public record Gathered(List<HoldingView> holdings, Set<Integer> missingPartitions, List<String> servedBy) {
        public boolean complete() {
            return missingPartitions.isEmpty();
        }
    }

    private static final Duration INSTANCE_TIMEOUT = Duration.ofSeconds(5);

    private final TopologyRunner runner;
    private final AccessPolicy access;
    private final RegionTree regions;
    private final WebClient webClient;
    private final Duration retryAfter;

    public NetworkStockService(TopologyRunner runner, AccessPolicy access, RegionTree regions,
                               ChannelstreamProperties properties) {
        this.runner = runner;
        this.access = access;
        this.regions = regions;
        this.webClient = WebClient.builder().build();
        this.retryAfter = properties.streams().retryAfter();
    }

    /** This instance's share: its active partitions' holdings that match the filter and the caller may see. */
    public Mono<ShareView> localShare(Caller caller, Filter filter) {
        NetworkReads reads = new NetworkReads(streams());
        // a prefix scan over every local partition: off the event loop
        return Mono.fromSupplier(() -> {
            NetworkReads.Share share = reads.holdings(filter.sku(), filter.batch());
            List<HoldingView> visible = share.holdings().stream()
                    .filter(holding -> matches(filter, holding) && visibleTo(caller, holding))
                    .map(HoldingView::of)
                    .toList();
            return new ShareView(self(), share.servedPartitions(), share.refusedPartitions(), visible);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Every instance's share; a 503 unless every partition answered once, or the caller accepts a partial answer. */
    public Mono<Gathered> gather(Caller caller, Filter filter, boolean acceptPartial, String authorization) {
        KafkaStreams streams = streams();
        String self = self();
        Flux<ShareView> others = Flux.fromIterable(otherInstances(streams))
                .flatMap(instance -> askForShare(instance, filter, authorization));
        return localShare(caller, filter)
                .mergeWith(others)
                .collectList()
                .map(shares -> combine(shares, acceptPartial, self));
    }

    /** Whether a batch is locked for recall, as this instance's copy of the global lock store says. */
    public boolean isLocked(String sku, String batch) {
        return new NetworkReads(streams()).isLocked(sku, batch);
    }

    /** A page of locations (in id order) after {@code cursor}, with the total and sums over all pages. */
    public Mono<NetworkPage> page(Caller caller, Filter filter, String cursor, int limit, boolean acceptPartial,
                                  String authorization) {
        String after = cursor == null ? null : decodeCursor(cursor);
        return gather(caller, filter, acceptPartial, authorization).map(gathered -> {
            Map<String, List<HoldingView>> byLocation = new LinkedHashMap<>();
            for (HoldingView holding : gathered.holdings()) {
                byLocation.computeIfAbsent(holding.locationId(), id -> new ArrayList<>()).add(holding);
            }
            List<LocationStockView> all = byLocation.values().stream().map(LocationStockView::of).toList();
            List<LocationStockView> rest = after == null ? all
                    : all.stream().filter(location -> location.locationId().compareTo(after) > 0).toList();
            List<LocationStockView> page = rest.subList(0, Math.min(limit, rest.size()));
            String next = rest.size() > limit ? encodeCursor(page.get(page.size() - 1).locationId()) : null;
            return new NetworkPage(filter.sku(), filter.batch(), filter.region(), filter.dealerId(), page,
                    all.size(), totals(all), next, gathered.complete(), gathered.missingPartitions(),
                    gathered.servedBy());
        });
    }

    private Gathered combine(List<ShareView> shares, boolean acceptPartial, String self) {
        Set<Integer> answered = new TreeSet<>();
        List<HoldingView> holdings = new ArrayList<>();
        List<String> servedBy = new ArrayList<>();
        for (ShareView share : shares) {
            for (Integer partition : share.servedPartitions()) {
                if (!answered.add(partition)) {
                    // two active copies during a hand-over: which is current is not knowable here
                    throw new UnavailableException("inventory is rebalancing: partition " + partition
                            + " answered from two instances", retryAfter);
                }
            }
            holdings.addAll(share.holdings());
            if (!share.servedPartitions().isEmpty()) {
                servedBy.add(share.servedBy());
            }
        }
        Set<Integer> missing = new TreeSet<>();
        IntStream.range(0, Topics.STOCK_MOVEMENTS.partitions()).filter(p -> !answered.contains(p))
                .forEach(missing::add);
        if (!missing.isEmpty() && !acceptPartial) {
            throw new UnavailableException("inventory is rebalancing: partitions " + missing
                    + " did not answer (acceptPartial=true gives the rest, marked incomplete)", retryAfter);
        }
        holdings.sort(Comparator.comparing(HoldingView::locationId)
                .thenComparing(HoldingView::expiryDate, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(HoldingView::batch));
        servedBy.sort(null);
        return new Gathered(List.copyOf(holdings), missing, List.copyOf(servedBy));
    }

    /** Instances other than this one that run the inventory topology's stores (active or standby). */
    private List<HostInfo> otherInstances(KafkaStreams streams) {
        HostInfo self = runner.self();
        try {
            return streams.streamsMetadataForStore(InventoryTopology.NETWORK_INDEX_STORE).stream()
                    .map(StreamsMetadata::hostInfo)
                    .filter(host -> !host.equals(self))
                    .distinct()
                    .toList();
        } catch (InvalidStateStoreException | IllegalStateException notRunning) {
            throw new UnavailableException("the inventory topology is not running here yet ("
                    + streams.state() + ")", retryAfter);
        }
    }

    private Mono<ShareView> askForShare(HostInfo instance, Filter filter, String authorization) {
        return webClient.get()
                .uri(uri -> shareUri(uri.scheme("http").host(instance.host()).port(instance.port()), filter))
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(InventoryQueryService.FORWARDED_HEADER, "true")
                .retrieve()
                .bodyToMono(ShareView.class)
                .timeout(INSTANCE_TIMEOUT)
                // an instance that cannot answer leaves its partitions missing: the caller sees which
                .onErrorResume(e -> Mono.empty());
    }

    private static URI shareUri(UriBuilder uri, Filter filter) {
        uri.path("/api/network/stock/{sku}/local");
        if (filter.batch() != null) {
            uri.queryParam("batch", "{batch}");
        }
        if (filter.region() != null) {
            uri.queryParam("region", "{region}");
        }
        if (filter.dealerId() != null) {
            uri.queryParam("dealerId", "{dealer}");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("sku", filter.sku());
        variables.put("batch", String.valueOf(filter.batch()));
        variables.put("region", String.valueOf(filter.region()));
        variables.put("dealer", String.valueOf(filter.dealerId()));
        return uri.build(variables);
    }

    private boolean matches(Filter filter, NetworkReads.Holding holding) {
        if (filter.region() != null && (holding.regionCode() == null
                || !regions.contains(filter.region(), holding.regionCode()))) {
            return false;
        }
        return filter.dealerId() == null || filter.dealerId().equals(holding.dealerId());
    }

    private boolean visibleTo(Caller caller, NetworkReads.Holding holding) {
        Location location = new Location(holding.locationId(), holding.locationName(), holding.locationKind(),
                holding.regionCode(), 0, 0, null, holding.dealerId(), null);
        return access.canSeeLocation(caller, location);
    }

    private static Totals totals(List<LocationStockView> locations) {
        long onHand = 0;
        long reserved = 0;
        long blocked = 0;
        long available = 0;
        for (LocationStockView location : locations) {
            onHand += location.onHand();
            reserved += location.reserved();
            blocked += location.blocked();
            available += location.available();
        }
        return new Totals(locations.size(), onHand, reserved, blocked, available);
    }

    static String encodeCursor(String locationId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(locationId.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw BadRequestException.invalid("cursor",
                    "not a cursor this endpoint gave out");
        }
    }

    private KafkaStreams streams() {
        return runner.streams(TopologyRunner.INVENTORY)
                .orElseThrow(() -> new UnavailableException("the inventory topology is not running here", retryAfter));
    }

    private String self() {
        return runner.self().host() + ":" + runner.self().port();
    }
}
