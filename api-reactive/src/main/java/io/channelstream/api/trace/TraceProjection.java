package io.channelstream.api.trace;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.kafka.EventSubscriber;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.Pallet;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.events.TraceRecorded;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import io.r2dbc.postgresql.codec.Json;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.ObjectMapper;

/**
 * Keeps the trace lookup's tables in PostgreSQL from topics {@code shipments}, {@code trace-records} and
 * {@code scans}. Every write is idempotent (keyed by code and shipment, or by eventId), and offsets are
 * acknowledged after the write, so a redelivery changes nothing.
 *
 * <p>Why PostgreSQL rather than a Kafka Streams store: one lookup joins three topics keyed three ways
 * (shipmentId, sku|batch, code) and must find a code inside pallets and cases; as a topology that is a
 * re-key of every item code plus foreign-key joins, and each lookup would be routed to the instance that
 * owns the code. In PostgreSQL it is a few indexed reads that any instance answers, which is what a
 * public endpoint at thousands of requests a second wants, and trace history outlives the topics'
 * seven-day retention (a tin is scanned months after it shipped).
 */
@Component
public class TraceProjection implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TraceProjection.class);
    /** Scans that describe the channel; a consumer's scan is personal and is not part of the public path. */
    static final Set<ScannerRole> CHANNEL_SCANS = Set.of(ScannerRole.DEALER_RECEIPT, ScannerRole.WAREHOUSE,
            ScannerRole.STORE_SALE, ScannerRole.INSPECTOR);

    private final EventSubscriber subscriber;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final ObjectMapper json;
    private final String groupPrefix;
    private final TraceLookup lookup;
    private final List<Disposable> running = new ArrayList<>();

    public TraceProjection(EventSubscriber subscriber, DatabaseClient db, ReactiveTransactionManager transactions,
                           ObjectMapper json, ChannelstreamProperties properties, TraceLookup lookup) {
        this.subscriber = subscriber;
        this.lookup = lookup;
        this.db = db;
        this.tx = TransactionalOperator.create(transactions);
        this.json = json;
        this.groupPrefix = properties.streams().applicationIdPrefix() + "-trace-projection-";
    }

    @Override
    public synchronized void start() {
        running.add(follow(Topics.SHIPMENTS, this::recordShipment));
        running.add(follow(Topics.TRACE_RECORDS, this::recordTraceStep));
        running.add(follow(Topics.SCANS, this::recordScan));
        log.info("trace projection started");
    }

    private <V extends SpecificRecord> Disposable follow(Topic<V> topic, Function<V, Mono<Void>> write) {
        return Flux.defer(() -> subscriber.subscribe(topic, groupPrefix + topic.name()))
                .concatMap(event -> (event.value() == null ? Mono.<Void>empty() : write.apply(event.value()))
                        .then(Mono.fromRunnable(event::acknowledge)))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> log.warn("trace projection of {} failed; resuming from the committed "
                                + "offsets", topic.name(), signal.failure())))
                .subscribe();
    }

    /** A unit named by a shipment. */
    private record Unit(String code, String level, String sku, String batch, String parent) {}

    Mono<Void> recordShipment(ShipmentDispatched shipment) {
        Map<String, Unit> units = new LinkedHashMap<>();
        for (Pallet pallet : shipment.getPallets()) {
            String palletCode = TraceCodes.canonical(pallet.getPalletCode());
            units.put(palletCode, new Unit(palletCode, "PALLET", null, null, null));
            for (CaseUnit unit : pallet.getCases()) {
                addCase(units, unit, palletCode);
            }
        }
        for (CaseUnit unit : shipment.getLooseCases()) {
            addCase(units, unit, null);
        }
        List<Unit> all = List.copyOf(units.values());
        Mono<Long> unitRows = db.sql("""
                        insert into trace_unit (code, unit_level, sku, batch, parent_code)
                        select * from unnest(:codes::text[], :levels::text[], :skus::text[], :batches::text[],
                                             :parents::text[])
                        on conflict (code) do update set unit_level = excluded.unit_level,
                            sku = coalesce(excluded.sku, trace_unit.sku), batch = coalesce(excluded.batch, trace_unit.batch),
                            parent_code = coalesce(excluded.parent_code, trace_unit.parent_code), updated_at = now()""")
                .bind("codes", column(all, Unit::code))
                .bind("levels", column(all, Unit::level))
                .bind("skus", column(all, Unit::sku))
                .bind("batches", column(all, Unit::batch))
                .bind("parents", column(all, Unit::parent))
                .fetch().rowsUpdated();
        Mono<Long> legRows = db.sql("""
                        insert into trace_leg (code, shipment_id, event_id, from_location_id, to_location_id, occurred_at)
                        select code, :shipment, :eventId, :from, :to, :at from unnest(:codes::text[]) as code
                        on conflict do nothing""")
                .bind("shipment", shipment.getShipmentId())
                .bind("eventId", shipment.getEventId())
                .bind("from", shipment.getFromLocationId())
                .bind("to", shipment.getToLocationId())
                .bind("at", shipment.getOccurredAt())
                .bind("codes", column(all, Unit::code))
                .fetch().rowsUpdated();
        Flux<Long> batchRows = Flux.fromIterable(shipment.getLines()).concatMap(this::recordBatchDates);
        return unitRows.then(legRows).thenMany(batchRows).then().as(tx::transactional)
                .doOnSuccess(done -> {
                    lookup.forgetCodes(units.keySet());
                    shipment.getLines().forEach(line -> lookup.forgetBatch(line.getSku(), line.getBatch()));
                });
    }

    private static void addCase(Map<String, Unit> units, CaseUnit unit, String palletCode) {
        String caseCode = TraceCodes.canonical(unit.getCaseCode());
        units.put(caseCode, new Unit(caseCode, "CASE", unit.getSku(), unit.getBatch(), palletCode));
        for (String item : unit.getItemCodes()) {
            String itemCode = TraceCodes.canonical(item);
            units.put(itemCode, new Unit(itemCode, "ITEM", unit.getSku(), unit.getBatch(), caseCode));
        }
    }

    private Mono<Long> recordBatchDates(ShipmentLine line) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        insert into trace_batch (sku, batch, production_date, expiry_date) values (:sku, :batch, :made, :expires)
                        on conflict (sku, batch) do update set
                            production_date = coalesce(excluded.production_date, trace_batch.production_date),
                            expiry_date = coalesce(excluded.expiry_date, trace_batch.expiry_date)""")
                .bind("sku", line.getSku())
                .bind("batch", line.getBatch());
        spec = line.getProductionDate() == null ? spec.bindNull("made", LocalDate.class)
                : spec.bind("made", line.getProductionDate());
        spec = line.getExpiryDate() == null ? spec.bindNull("expires", LocalDate.class)
                : spec.bind("expires", line.getExpiryDate());
        return spec.fetch().rowsUpdated();
    }

    Mono<Void> recordTraceStep(TraceRecorded step) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        insert into trace_batch_step (event_id, sku, batch, step, place, attributes, qc_report_ref, occurred_at)
                        values (:eventId, :sku, :batch, :step, :place, :attributes, :qc, :at)
                        on conflict (event_id) do nothing""")
                .bind("eventId", step.getEventId())
                .bind("sku", step.getSku())
                .bind("batch", step.getBatch())
                .bind("step", step.getStep().name())
                .bind("place", step.getPlace())
                .bind("attributes", Json.of(json.writeValueAsString(step.getAttributes())))
                .bind("at", step.getOccurredAt());
        spec = step.getQcReportRef() == null ? spec.bindNull("qc", String.class) : spec.bind("qc", step.getQcReportRef());
        return spec.fetch().rowsUpdated()
                .doOnSuccess(rows -> lookup.forgetBatch(step.getSku(), step.getBatch()))
                .then();
    }

    Mono<Void> recordScan(ScanRecorded scan) {
        if (!CHANNEL_SCANS.contains(scan.getScannerRole())) {
            return Mono.empty();
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        insert into trace_scan (event_id, code, scanner_role, location_id, region_code, occurred_at)
                        values (:eventId, :code, :role, :location, :region, :at)
                        on conflict (event_id) do nothing""")
                .bind("eventId", scan.getEventId())
                .bind("code", TraceCodes.canonical(scan.getCode()))
                .bind("role", scan.getScannerRole().name())
                .bind("at", scan.getOccurredAt());
        spec = scan.getPlaceLocationId() == null ? spec.bindNull("location", String.class)
                : spec.bind("location", scan.getPlaceLocationId());
        spec = scan.getRegionCode() == null ? spec.bindNull("region", String.class)
                : spec.bind("region", scan.getRegionCode());
        return spec.fetch().rowsUpdated()
                .doOnSuccess(rows -> lookup.forgetCodes(List.of(TraceCodes.canonical(scan.getCode()))))
                .then();
    }

    private static String[] column(List<Unit> units, Function<Unit, String> field) {
        return units.stream().map(field).toArray(String[]::new);
    }

    @Override
    public synchronized void stop() {
        running.forEach(Disposable::dispose);
        running.clear();
    }

    @Override
    public boolean isRunning() {
        return !running.isEmpty();
    }
}
