package io.channelstream.api.trace;

import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.masterdata.ProductCatalog;
import io.channelstream.api.trace.TraceView.BatchInfo;
import io.channelstream.api.trace.TraceView.ChannelStep;
import io.channelstream.api.trace.TraceView.Place;
import io.channelstream.api.trace.TraceView.ProductInfo;
import io.channelstream.api.trace.TraceView.StepInfo;
import io.channelstream.regions.RegionTree;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * Answers the public trace lookup from the projection {@link TraceProjection} keeps. Redaction happens
 * here, at the one place data leaves for the public: places are described by kind and region, never by
 * name or id; step attributes whose key names money, margins or people are dropped.
 */
@Service
public class TraceLookup {

    /** Attribute keys never shown to the public: commercial (money, margins) or personal (people, contacts). */
    static final Pattern REDACTED_ATTRIBUTE = Pattern.compile(
            "(?i).*(price|fen|cost|margin|discount|rebate|invoice|supplier|operator|person|staff|worker|phone|"
                    + "mobile|email|address|idcard|contact|owner).*");

    private static final java.util.Set<String> PLACEHOLDER_REGION_NAMES = java.util.Set.of("市辖区", "县");

    private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() { };

    private final DatabaseClient db;
    private final ProductCatalog products;
    private final LocationDirectory locations;
    private final RegionTree regions;
    private final ObjectMapper json;

    public TraceLookup(DatabaseClient db, ProductCatalog products, LocationDirectory locations, RegionTree regions,
                       ObjectMapper json) {
        this.db = db;
        this.products = products;
        this.locations = locations;
        this.regions = regions;
        this.json = json;
    }

    private record UnitRow(String code, String level, String sku, String batch) {}

    /** The trace of a canonical code, or empty when no shipment ever named it. */
    public Mono<TraceView> lookup(String code) {
        return db.sql("select code, unit_level, sku, batch from trace_unit where code = :code")
                .bind("code", code)
                .map(row -> new UnitRow(row.get("code", String.class), row.get("unit_level", String.class),
                        row.get("sku", String.class), row.get("batch", String.class)))
                .one()
                .flatMap(this::trace);
    }

    /** A batch step with its kind (RAW_MATERIAL, PRODUCTION, QUALITY_CHECK, OTHER). */
    private record BatchStep(String kind, StepInfo step) {}

    private Mono<TraceView> trace(UnitRow unit) {
        Mono<List<BatchStep>> steps = unit.sku() == null ? Mono.just(List.of()) : batchSteps(unit);
        Mono<Optional<BatchInfo>> batch = unit.sku() == null ? Mono.just(Optional.empty()) : batchInfo(unit);
        Mono<Optional<ProductInfo>> product = unit.sku() == null ? Mono.just(Optional.empty())
                : products.find(unit.sku())
                        .map(p -> new ProductInfo(p.sku(), p.gtin(), p.name(), p.category(), p.sizeLabel(),
                                p.shelfLifeDays()))
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty());
        return Mono.zip(steps, batch, product, channel(unit.code()))
                .map(parts -> {
                    List<BatchStep> all = parts.getT1();
                    List<String> qcRefs = all.stream().map(step -> step.step().qcReportRef())
                            .filter(ref -> ref != null && !ref.isBlank()).distinct().toList();
                    return new TraceView(unit.code(), unit.level(), parts.getT3().orElse(null),
                            parts.getT2().orElse(null),
                            only(all, "RAW_MATERIAL"), only(all, "PRODUCTION"), only(all, "QUALITY_CHECK"),
                            qcRefs, parts.getT4());
                });
    }

    private Mono<List<BatchStep>> batchSteps(UnitRow unit) {
        return db.sql("""
                        select step, place, attributes, qc_report_ref, occurred_at from trace_batch_step
                        where sku = :sku and batch = :batch order by occurred_at, event_id""")
                .bind("sku", unit.sku())
                .bind("batch", unit.batch())
                .map(row -> new BatchStep(row.get("step", String.class), new StepInfo(
                        row.get("occurred_at", Instant.class),
                        row.get("place", String.class),
                        redact(row.get("attributes", Json.class)),
                        row.get("qc_report_ref", String.class))))
                .all()
                .collectList();
    }

    private static List<StepInfo> only(List<BatchStep> steps, String kind) {
        return steps.stream().filter(step -> kind.equals(step.kind())).map(BatchStep::step).toList();
    }

    private Mono<Optional<BatchInfo>> batchInfo(UnitRow unit) {
        return db.sql("select production_date, expiry_date from trace_batch where sku = :sku and batch = :batch")
                .bind("sku", unit.sku())
                .bind("batch", unit.batch())
                .map(row -> new BatchInfo(unit.batch(), row.get("production_date", LocalDate.class),
                        row.get("expiry_date", LocalDate.class)))
                .one()
                .map(Optional::of)
                .defaultIfEmpty(Optional.of(new BatchInfo(unit.batch(), null, null)));
    }

    private record Leg(String fromLocationId, String toLocationId, Instant occurredAt) {}

    private record Scan(String role, String locationId, String regionCode, Instant occurredAt) {}

    /** Shipments that carried the code, and channel scans of it or of the case and pallet it was packed in. */
    private Mono<List<ChannelStep>> channel(String code) {
        Flux<ChannelStep> shipped = db.sql("""
                        select from_location_id, to_location_id, occurred_at from trace_leg where code = :code""")
                .bind("code", code)
                .map(row -> new Leg(row.get("from_location_id", String.class), row.get("to_location_id", String.class),
                        row.get("occurred_at", Instant.class)))
                .all()
                .concatMap(leg -> Mono.zip(place(leg.fromLocationId()), place(leg.toLocationId()))
                        .map(places -> new ChannelStep("SHIPPED", leg.occurredAt(), places.getT1(), places.getT2(),
                                null)));
        Flux<ChannelStep> scanned = db.sql("""
                        with recursive packed_in(code, parent_code, depth) as (
                            select code, parent_code, 0 from trace_unit where code = :code
                            union all
                            select u.code, u.parent_code, p.depth + 1
                            from trace_unit u join packed_in p on u.code = p.parent_code where p.depth < 4)
                        select s.scanner_role, s.location_id, s.region_code, s.occurred_at
                        from trace_scan s where s.code in (select code from packed_in)""")
                .bind("code", code)
                .map(row -> new Scan(row.get("scanner_role", String.class), row.get("location_id", String.class),
                        row.get("region_code", String.class), row.get("occurred_at", Instant.class)))
                .all()
                .concatMap(scan -> scanPlace(scan.locationId(), scan.regionCode())
                        .map(place -> new ChannelStep(scanKind(scan.role()), scan.occurredAt(), null, null, place)));
        return Flux.concat(shipped, scanned)
                .collectSortedList(Comparator.comparing(ChannelStep::occurredAt));
    }

    private Mono<Place> place(String locationId) {
        return locations.find(locationId)
                .map(location -> new Place(location.kind(), location.regionCode(), regionName(location.regionCode())))
                .defaultIfEmpty(new Place("OTHER", null, null));
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
