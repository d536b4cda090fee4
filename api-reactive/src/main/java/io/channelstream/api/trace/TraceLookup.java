package io.channelstream.api.trace;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.masterdata.ProductCatalog;
import io.channelstream.api.web.ReadDeadline;
import io.channelstream.api.trace.TraceView.BatchInfo;
import io.channelstream.api.trace.TraceView.ChannelStep;
import io.channelstream.api.trace.TraceView.Place;
import io.channelstream.api.trace.TraceView.ProductInfo;
import io.channelstream.api.trace.TraceView.StepInfo;
import io.channelstream.regions.RegionTree;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Answers the public trace lookup from the projection {@link TraceProjection} keeps. Redaction happens
 * here, at the one place data leaves for the public: places are described by kind and region, never by
 * name or id; step attributes whose key names money, margins or people are dropped.
 *
 * <p>A lookup costs one PostgreSQL round trip for the code's own facts (unit, legs, channel scans), one statement
 * shared by the lookups that miss at the same time ({@link #codeFacts}).
 * What many codes share is cached in memory, bounded and expiring: a batch's dates and redacted steps
 * ({@link #BATCH_TTL}, and forgotten at once when this instance's projection writes to the batch), products
 * and locations (their own caches, {@code ProductCatalog} and {@code LocationDirectory}, 30 s), SKUs and
 * locations master data does not know ({@link #BATCH_TTL}), and the public name of a region (the region
 * table is fixed at build time).
 */
@Service
public class TraceLookup {

    /** Attribute keys never shown to the public: commercial (money, margins) or personal (people, contacts). */
    static final Pattern REDACTED_ATTRIBUTE = Pattern.compile(
            "(?i).*(price|fen|cost|margin|discount|rebate|invoice|supplier|operator|person|staff|worker|phone|"
                    + "mobile|email|address|idcard|contact|owner).*");

    private static final java.util.Set<String> PLACEHOLDER_REGION_NAMES = java.util.Set.of("市辖区", "县");

    private static final Place UNKNOWN_PLACE = new Place("OTHER", null, null);

    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() { };

    private final DatabaseClient db;
    private final ProductCatalog products;
    private final LocationDirectory locations;
    private final RegionTree regions;
    private final ObjectMapper json;
    /** Lookups answered from the view cache, and those that assembled their view. */
    private final Counter viewHits;
    private final Counter viewMisses;

    /** How long a batch's dates and steps may be served from memory when another instance wrote them. */
    static final Duration BATCH_TTL = Duration.ofSeconds(10);
    private static final long BATCH_CACHE_SIZE = 20_000;

    private final Cache<String, BatchFacts> batches = Caffeine.newBuilder()
            .maximumSize(BATCH_CACHE_SIZE).expireAfterWrite(BATCH_TTL).build();
    /**
     * SKUs and location ids a trace names that master data does not know (yet), so that a batch of codes
     * with a broken reference does not cost a query per lookup; known again after at most {@link #BATCH_TTL}.
     */
    private final Cache<String, Boolean> unknown = Caffeine.newBuilder()
            .maximumSize(BATCH_CACHE_SIZE).expireAfterWrite(BATCH_TTL).build();
    /**
     * How long an assembled public trace may be served from memory when another instance's projection wrote
     * to it; this instance's writes forget it at once ({@link #publicTrace}).
     */
    static final Duration VIEW_TTL = Duration.ofSeconds(2);
    private static final long VIEW_CACHE_SIZE = 50_000;
    private final Cache<String, PublicTrace> views = Caffeine.newBuilder()
            .maximumSize(VIEW_CACHE_SIZE).expireAfterWrite(VIEW_TTL)
            .removalListener((String code, PublicTrace trace, RemovalCause cause) -> unindex(trace))
            .build();
    /** Which cached traces were read from a code ({@code code:X}) or a batch ({@code batch:sku|batch}). */
    private final Map<String, Set<PublicTrace>> dependentViews = new ConcurrentHashMap<>();
    /** Counts this instance's projection writes, so an assembly racing one is not kept. */
    private final AtomicLong projectionWrites = new AtomicLong();
    /** Region code to its public name; bounded by the region table (about 3,200 codes). */
    private final Map<String, Optional<String>> regionNames = new ConcurrentHashMap<>();

    public TraceLookup(DatabaseClient db, ProductCatalog products, LocationDirectory locations, RegionTree regions,
                       ObjectMapper json, MeterRegistry meters) {
        this.db = db;
        this.viewHits = viewCounter(meters, "hit");
        this.viewMisses = viewCounter(meters, "miss");
        this.products = products;
        this.locations = locations;
        this.regions = regions;
        this.json = json;
        // a product or location HQ changes through this instance shows on the next lookup
        products.whenChanged(sku -> forgetDependents("sku:" + sku));
        locations.whenChanged(locationId -> forgetDependents("location:" + locationId));
    }

    private static Counter viewCounter(MeterRegistry meters, String outcome) {
        return Counter.builder("channelstream.trace.views")
                .description("Public trace lookups answered from the view cache (hit) or assembled (miss)")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** The code's own facts, read in one round trip: its unit, the legs that carried it, channel scans. */
    private record CodeFacts(String level, String sku, String batch, List<String> packedIn, List<Leg> legs,
                             List<Scan> scans) {}

    private record Leg(String fromLocationId, String toLocationId, Instant occurredAt) {}

    private record Scan(String role, String locationId, String regionCode, Instant occurredAt) {}

    /** One row of {@link #codeFacts}: which part it is, three text columns, and a time. */
    private record Part(String part, String a, String b, String c, Instant at) {}

    /** A batch step with its kind (RAW_MATERIAL, PRODUCTION, QUALITY_CHECK, OTHER). */
    private record BatchStep(String kind, StepInfo step) {}

    /** What a lookup shows of a batch (dates and redacted upstream steps): the same for every unit of it. */
    private record BatchFacts(BatchInfo info, List<BatchStep> steps) {}

    /**
     * A public trace as it is served: the view (null for a code no shipment ever named) and its JSON, encoded
     * once by the same mapper that encodes the controllers' answers, and what it was read from (the code, the
     * case and pallet it was packed in, its batch, its product, the locations it passed), so that a change of
     * any of them through this instance forgets it. Identity
     * equality: the dependency index holds exactly the entries it registered.
     */
    public static final class PublicTrace {
        private final String code;
        private final TraceView view;
        private final byte[] json;
        private final List<String> dependsOn;

        PublicTrace(String code, TraceView view, byte[] json, List<String> dependsOn) {
            this.code = code;
            this.view = view;
            this.json = json;
            this.dependsOn = dependsOn;
        }

        public String code() {
            return code;
        }

        /** Null when no shipment ever named the code. */
        public TraceView view() {
            return view;
        }

        /** The view's JSON; null when there is no view. Not to be modified. */
        public byte[] json() {
            return json;
        }
    }

    /**
     * The public trace of a canonical code from memory, or assembled (one PostgreSQL round trip for the code's own
     * facts) and kept for at most {@link #VIEW_TTL}. Only assembled traces are kept, never a lookup in flight:
     * lookups that miss at the same moment each assemble their own. (This was tried against a stall of 64
     * concurrent lookups of one code in {@code AlertsAndPartnersBenchmark}; the stall's cause turned out to be
     * Reactor Netty leaving a kept-alive connection unread, fixed by {@link io.channelstream.api.web.KeepAliveReads},
     * so sharing lookups in flight again would be safe; not measured since.) A write of this
     * instance's projection to the code, to a case or pallet it was packed in, or to its batch, and a change of
     * its product or of a location it passed made through this instance, forget it at once; a change made
     * through another instance shows after at most {@link #VIEW_TTL} (products and locations: their own caches'
     * 30 s, as before). Never empty.
     */
    public Mono<PublicTrace> publicTrace(String code) {
        PublicTrace known = views.getIfPresent(code);
        if (known != null) {
            viewHits.increment();
            return Mono.just(known);
        }
        viewMisses.increment();
        return assembleForCache(code);
    }

    /**
     * Forgets what is cached of a batch, so this instance shows a new step or date at once; other instances
     * show it after at most {@link #BATCH_TTL} ({@link #VIEW_TTL} for a view already assembled).
     * {@link TraceProjection} calls it after it writes.
     */
    void forgetBatch(String sku, String batch) {
        batches.invalidate(batchKey(sku, batch));
        forgetDependents("batch:" + batchKey(sku, batch));
    }

    /**
     * Forgets the public traces read from these codes (the codes' own, and those of units packed in them):
     * {@link TraceProjection} calls it after it recorded a shipment naming them or a channel scan of one.
     */
    void forgetCodes(Collection<String> codes) {
        for (String code : codes) {
            forgetDependents("code:" + code);
        }
    }

    private void forgetDependents(String dependency) {
        projectionWrites.incrementAndGet();
        Set<PublicTrace> dependents = dependentViews.get(dependency);
        if (dependents != null) {
            for (PublicTrace trace : dependents) {
                views.asMap().remove(trace.code());
            }
        }
    }

    /**
     * Assembles a trace for the cache. An assembly that raced a projection write is answered but not kept
     * (its reads may predate the write); the index is written before that check, so a write either finds the
     * entry in the index or is seen by the check.
     */
    private Mono<PublicTrace> assembleForCache(String code) {
        return Mono.defer(() -> {
            long writesBefore = projectionWrites.get();
            return assemble(code).doOnNext(trace -> {
                index(trace);
                views.put(code, trace);
                if (projectionWrites.get() != writesBefore) {
                    views.asMap().remove(code, trace);
                }
            });
        });
    }

    private Mono<PublicTrace> assemble(String code) {
        return codeFacts(code)
                .flatMap(facts -> trace(code, facts).map(view -> {
                    Set<String> dependsOn = new LinkedHashSet<>();
                    dependsOn.add("code:" + code);
                    facts.packedIn().forEach(parent -> dependsOn.add("code:" + parent));
                    if (facts.sku() != null) {
                        dependsOn.add("batch:" + batchKey(facts.sku(), facts.batch()));
                        dependsOn.add("sku:" + facts.sku());
                    }
                    facts.legs().forEach(leg -> {
                        dependsOn.add("location:" + leg.fromLocationId());
                        dependsOn.add("location:" + leg.toLocationId());
                    });
                    facts.scans().stream().filter(scan -> scan.locationId() != null)
                            .forEach(scan -> dependsOn.add("location:" + scan.locationId()));
                    return new PublicTrace(code, view, json.writeValueAsBytes(view), List.copyOf(dependsOn));
                }))
                .defaultIfEmpty(new PublicTrace(code, null, null, List.of("code:" + code)));
    }

    private void index(PublicTrace trace) {
        for (String dependency : trace.dependsOn) {
            dependentViews.computeIfAbsent(dependency, d -> ConcurrentHashMap.newKeySet()).add(trace);
        }
    }

    private void unindex(PublicTrace trace) {
        if (trace == null) {
            return;
        }
        for (String dependency : trace.dependsOn) {
            dependentViews.computeIfPresent(dependency, (d, dependents) -> {
                dependents.remove(trace);
                return dependents.isEmpty() ? null : dependents;
            });
        }
    }

    private static String batchKey(String sku, String batch) {
        return sku + "|" + batch;
    }

    /**
     * Unit, legs and scans of the code (and of the case and pallet it was packed in). Lookups that miss at the same
     * time share one statement: a code joins the codes waiting for the next read, and a read starts at once when
     * fewer than {@link #MAX_READS_IN_FLIGHT} are running (so a lone lookup never waits), otherwise when one ends,
     * with up to {@link #MAX_CODES_PER_READ} codes. Under load, one pooled connection's acquisition (and its
     * validation round trip) and one statement serve many lookups. Empty when no shipment ever named the code.
     */
    private Mono<CodeFacts> codeFacts(String code) {
        return Mono.<Optional<CodeFacts>>create(sink -> {
            Map<String, List<MonoSink<Optional<CodeFacts>>>> toRead = null;
            synchronized (waitingCodes) {
                waitingCodes.computeIfAbsent(code, c -> new ArrayList<>(1)).add(sink);
                if (readsInFlight < MAX_READS_IN_FLIGHT) {
                    readsInFlight++;
                    toRead = takeWaitingCodes();
                }
            }
            if (toRead != null) {
                read(toRead);
            }
        }).flatMap(Mono::justOrEmpty);
    }

    /** At most this many statements of {@link #codeFacts} run at once; more misses wait and go together. */
    static final int MAX_READS_IN_FLIGHT = 2;
    static final int MAX_CODES_PER_READ = 256;
    /** Codes waiting for a read, with the lookups waiting for each; guarded by itself, with {@link #readsInFlight}. */
    private final Map<String, List<MonoSink<Optional<CodeFacts>>>> waitingCodes = new LinkedHashMap<>();
    private int readsInFlight;

    private Map<String, List<MonoSink<Optional<CodeFacts>>>> takeWaitingCodes() {
        Map<String, List<MonoSink<Optional<CodeFacts>>>> taken = new LinkedHashMap<>();
        var waiting = waitingCodes.entrySet().iterator();
        while (waiting.hasNext() && taken.size() < MAX_CODES_PER_READ) {
            var entry = waiting.next();
            taken.put(entry.getKey(), entry.getValue());
            waiting.remove();
        }
        return taken;
    }

    private void read(Map<String, List<MonoSink<Optional<CodeFacts>>>> codes) {
        codeFactsOf(codes.keySet()).subscribe(byCode -> {
            // the next read starts before this one's lookups are assembled on this thread
            readDone();
            codes.forEach((code, sinks) -> {
                Optional<CodeFacts> facts = Optional.ofNullable(byCode.get(code));
                sinks.forEach(sink -> sink.success(facts));
            });
        }, failure -> {
            readDone();
            codes.values().forEach(sinks -> sinks.forEach(sink -> sink.error(failure)));
        });
    }

    private void readDone() {
        Map<String, List<MonoSink<Optional<CodeFacts>>>> next = null;
        synchronized (waitingCodes) {
            if (waitingCodes.isEmpty()) {
                readsInFlight--;
            } else {
                next = takeWaitingCodes();
            }
        }
        if (next != null) {
            read(next);
        }
    }

    /** The facts of many codes in one statement, one row per part, each row naming the code it is for. */
    private Mono<Map<String, CodeFacts>> codeFactsOf(Collection<String> codes) {
        return db.sql("""
                        with recursive packed_in(root, code, unit_level, sku, batch, parent_code, depth) as (
                            select code, code, unit_level, sku, batch, parent_code, 0 from trace_unit
                            where code = any(:codes::text[])
                            union all
                            select p.root, u.code, u.unit_level, u.sku, u.batch, u.parent_code, p.depth + 1
                            from trace_unit u join packed_in p on u.code = p.parent_code where p.depth < 4)
                        select root, 'UNIT' as part, unit_level as a, sku as b, batch as c, null::timestamptz as at
                        from packed_in where depth = 0
                        union all
                        select root, 'PACKED', code, null, null, null from packed_in where depth > 0
                        union all
                        select code, 'LEG', from_location_id, to_location_id, null, occurred_at
                        from trace_leg where code = any(:codes::text[])
                        union all
                        select p.root, 'SCAN', s.scanner_role, s.location_id, s.region_code, s.occurred_at
                        from trace_scan s join packed_in p on s.code = p.code""")
                .bind("codes", codes.toArray(String[]::new))
                // by position (root, part, a, b, c, at): cheaper than by name, row after row
                .map(row -> Map.entry(row.get(0, String.class), new Part(row.get(1, String.class),
                        row.get(2, String.class), row.get(3, String.class), row.get(4, String.class),
                        row.get(5, Instant.class))))
                .all()
                .collectList()
                .as(read -> ReadDeadline.within(read, "trace of " + codes.size() + " codes"))
                .map(rows -> {
                    Map<String, List<Part>> partsByCode = new java.util.HashMap<>();
                    for (Map.Entry<String, Part> row : rows) {
                        partsByCode.computeIfAbsent(row.getKey(), c -> new ArrayList<>()).add(row.getValue());
                    }
                    Map<String, CodeFacts> facts = new java.util.HashMap<>();
                    partsByCode.forEach((code, parts) -> {
                        CodeFacts one = facts(parts);
                        if (one != null) {
                            facts.put(code, one);
                        }
                    });
                    return facts;
                });
    }

    private static CodeFacts facts(List<Part> parts) {
        Part unit = null;
        List<String> packedIn = new ArrayList<>();
        List<Leg> legs = new ArrayList<>();
        List<Scan> scans = new ArrayList<>();
        for (Part part : parts) {
            switch (part.part()) {
                case "UNIT" -> unit = part;
                case "PACKED" -> packedIn.add(part.a());
                case "LEG" -> legs.add(new Leg(part.a(), part.b(), part.at()));
                default -> scans.add(new Scan(part.a(), part.b(), part.c(), part.at()));
            }
        }
        return unit == null ? null : new CodeFacts(unit.a(), unit.b(), unit.c(), packedIn, legs, scans);
    }

    private Mono<TraceView> trace(String code, CodeFacts unit) {
        TraceView fromMemory = traceFromMemory(code, unit);
        if (fromMemory != null) {
            return Mono.just(fromMemory);
        }
        Mono<Optional<BatchFacts>> batch = unit.sku() == null ? Mono.just(Optional.empty())
                : batchFacts(unit.sku(), unit.batch()).map(Optional::of);
        Mono<Optional<ProductInfo>> product = unit.sku() == null ? Mono.just(Optional.empty())
                : unknown.getIfPresent("sku:" + unit.sku()) != null ? Mono.just(Optional.empty())
                : products.find(unit.sku())
                        .map(TraceLookup::productInfo)
                        .map(Optional::of)
                        .switchIfEmpty(Mono.fromSupplier(() -> {
                            unknown.put("sku:" + unit.sku(), true);
                            return Optional.empty();
                        }));
        return Mono.zip(batch, product, channel(unit))
                .map(parts -> view(code, unit, parts.getT1().orElse(null), parts.getT2().orElse(null),
                        parts.getT3()));
    }

    private static ProductInfo productInfo(io.channelstream.api.masterdata.Product p) {
        return new ProductInfo(p.sku(), p.gtin(), p.name(), p.category(), p.sizeLabel(), p.shelfLifeDays());
    }

    private static TraceView view(String code, CodeFacts unit, BatchFacts batch, ProductInfo product,
                                  List<ChannelStep> channel) {
        List<BatchStep> all = batch == null ? List.of() : batch.steps();
        List<String> qcRefs = all.stream().map(step -> step.step().qcReportRef())
                .filter(ref -> ref != null && !ref.isBlank()).distinct().toList();
        return new TraceView(code, unit.level(), product, batch == null ? null : batch.info(),
                only(all, "RAW_MATERIAL"), only(all, "PRODUCTION"), only(all, "QUALITY_CHECK"), qcRefs, channel);
    }

    /**
     * The same view as {@link #trace}, without a reactive step, when everything it shows besides the code's own facts
     * is in memory now (the batch, the product, every place): the usual case, since many codes share them. Null
     * when something must be read first.
     */
    private TraceView traceFromMemory(String code, CodeFacts unit) {
        BatchFacts batch = null;
        ProductInfo product = null;
        if (unit.sku() != null) {
            batch = batches.getIfPresent(batchKey(unit.sku(), unit.batch()));
            if (batch == null) {
                return null;
            }
            if (unknown.getIfPresent("sku:" + unit.sku()) == null) {
                var known = products.cachedOrNull(unit.sku());
                if (known == null) {
                    return null;
                }
                product = productInfo(known);
            }
        }
        List<ChannelStep> channel = new ArrayList<>(unit.legs().size() + unit.scans().size());
        for (Leg leg : unit.legs()) {
            Place from = placeFromMemory(leg.fromLocationId());
            Place to = placeFromMemory(leg.toLocationId());
            if (from == null || to == null) {
                return null;
            }
            channel.add(new ChannelStep("SHIPPED", leg.occurredAt(), from, to, null));
        }
        for (Scan scan : unit.scans()) {
            Place at = scan.locationId() == null
                    ? new Place("OTHER", scan.regionCode(), regionName(scan.regionCode()))
                    : placeFromMemory(scan.locationId());
            if (at == null) {
                return null;
            }
            channel.add(new ChannelStep(scanKind(scan.role()), scan.occurredAt(), null, null, at));
        }
        channel.sort(Comparator.comparing(ChannelStep::occurredAt));
        return view(code, unit, batch, product, channel);
    }

    /** The public description of a place if its location is in memory (or known to be unknown), else null. */
    private Place placeFromMemory(String locationId) {
        if (unknown.getIfPresent("location:" + locationId) != null) {
            return UNKNOWN_PLACE;
        }
        var location = locations.cachedOrNull(locationId);
        return location == null ? null
                : new Place(location.kind(), location.regionCode(), regionName(location.regionCode()));
    }

    /** Dates and steps of a batch, from memory or in one statement (the batch row joined to its steps). */
    private Mono<BatchFacts> batchFacts(String sku, String batch) {
        String key = batchKey(sku, batch);
        BatchFacts cached = batches.getIfPresent(key);
        if (cached != null) {
            return Mono.just(cached);
        }
        record Row(LocalDate made, LocalDate expires, BatchStep step) {}
        return db.sql("""
                        select b.production_date, b.expiry_date,
                               s.step, s.place, s.attributes, s.qc_report_ref, s.occurred_at
                        from (select cast(:sku as text) as sku, cast(:batch as text) as batch) k
                        left join trace_batch b on b.sku = k.sku and b.batch = k.batch
                        left join trace_batch_step s on s.sku = k.sku and s.batch = k.batch
                        order by s.occurred_at, s.event_id""")
                .bind("sku", sku)
                .bind("batch", batch)
                .map(row -> new Row(row.get("production_date", LocalDate.class),
                        row.get("expiry_date", LocalDate.class),
                        row.get("step", String.class) == null ? null : new BatchStep(row.get("step", String.class),
                                new StepInfo(row.get("occurred_at", Instant.class), row.get("place", String.class),
                                        redact(row.get("attributes", Json.class)),
                                        row.get("qc_report_ref", String.class)))))
                .all()
                .collectList()
                .as(read -> ReadDeadline.within(read, "batch " + key))
                .map(rows -> {
                    Row first = rows.isEmpty() ? new Row(null, null, null) : rows.get(0);
                    List<BatchStep> steps = rows.stream().map(Row::step).filter(step -> step != null).toList();
                    return new BatchFacts(new BatchInfo(batch, first.made(), first.expires()), steps);
                })
                .doOnNext(facts -> batches.put(key, facts));
    }

    private static List<StepInfo> only(List<BatchStep> steps, String kind) {
        return steps.stream().filter(step -> kind.equals(step.kind())).map(BatchStep::step).toList();
    }

    /** Shipments that carried the code, and channel scans of it or of the case and pallet it was packed in. */
    private Mono<List<ChannelStep>> channel(CodeFacts unit) {
        Flux<ChannelStep> shipped = Flux.fromIterable(unit.legs())
                .concatMap(leg -> Mono.zip(place(leg.fromLocationId()), place(leg.toLocationId()))
                        .map(places -> new ChannelStep("SHIPPED", leg.occurredAt(), places.getT1(), places.getT2(),
                                null)));
        Flux<ChannelStep> scanned = Flux.fromIterable(unit.scans())
                .concatMap(scan -> scanPlace(scan.locationId(), scan.regionCode())
                        .map(place -> new ChannelStep(scanKind(scan.role()), scan.occurredAt(), null, null, place)));
        return Flux.concat(shipped, scanned)
                .collectSortedList(Comparator.comparing(ChannelStep::occurredAt));
    }

    private Mono<Place> place(String locationId) {
        if (unknown.getIfPresent("location:" + locationId) != null) {
            return Mono.just(UNKNOWN_PLACE);
        }
        return locations.find(locationId)
                .map(location -> new Place(location.kind(), location.regionCode(), regionName(location.regionCode())))
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    unknown.put("location:" + locationId, true);
                    return UNKNOWN_PLACE;
                }));
    }

    private Mono<Place> scanPlace(String locationId, String regionCode) {
        if (locationId != null) {
            return place(locationId);
        }
        return Mono.just(new Place("OTHER", regionCode, regionName(regionCode)));
    }

    private static String scanKind(String role) {
        return switch (role) {
            case "DEALER_RECEIPT" -> "RECEIVED";
            case "STORE_SALE" -> "SOLD";
            case "INSPECTOR" -> "INSPECTED";
            default -> "WAREHOUSE_SCAN";
        };
    }

    /** "广东省 广州市 天河区": the region with its ancestors, province first. */
    String regionName(String regionCode) {
        if (regionCode == null || !regions.exists(regionCode)) {
            return null;
        }
        return regionNames.computeIfAbsent(regionCode, known -> Optional.of(nameOf(known))).orElse(null);
    }

    private String nameOf(String regionCode) {
        List<String> names = new ArrayList<>();
        for (String current = regionCode; current != null && regions.exists(current);
             current = regions.region(current).map(RegionTree.Region::parentCode).orElse(null)) {
            String name = regions.region(current).map(RegionTree.Region::name).orElse(current);
            // GB/T 2260's placeholder levels under municipalities ("districts of the city", "counties") say nothing
            if (!PLACEHOLDER_REGION_NAMES.contains(name)) {
                names.add(0, name);
            }
        }
        return String.join(" ", names);
    }

    private Map<String, String> redact(Json attributes) {
        if (attributes == null) {
            return Map.of();
        }
        Map<String, String> all = json.readValue(attributes.asString(), ATTRIBUTES);
        Map<String, String> shown = new LinkedHashMap<>();
        all.forEach((key, value) -> {
            if (!REDACTED_ATTRIBUTE.matcher(key).matches()) {
                shown.put(key, value);
            }
        });
        return shown;
    }
}
