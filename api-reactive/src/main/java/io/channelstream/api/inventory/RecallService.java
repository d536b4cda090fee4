package io.channelstream.api.inventory;

import io.channelstream.api.inventory.NetworkStockService.Filter;
import io.channelstream.api.inventory.NetworkViews.HoldingView;
import io.channelstream.api.inventory.RecallView.HoldingTotals;
import io.channelstream.api.inventory.RecallView.LastPlace;
import io.channelstream.api.inventory.RecallView.ShippedCode;
import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.UnavailableException;
import io.channelstream.events.BatchControlEvent;
import io.channelstream.events.BatchLocked;
import io.channelstream.events.BatchReleased;
import io.channelstream.schemas.Topics;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Locks and releases a batch (one fact on {@code batch-control}, which every inventory task reads whole)
 * and answers where the batch is: its holdings from the network view, its shipped codes from the trace
 * projection in PostgreSQL.
 */
@Service
public class RecallService {

    private final EventPublisher publisher;
    private final NetworkStockService network;
    private final DatabaseClient db;

    public RecallService(EventPublisher publisher, NetworkStockService network, DatabaseClient db) {
        this.publisher = publisher;
        this.network = network;
        this.db = db;
    }

    /** Locks the batch everywhere and answers with every holding (now blocked) and shipped code. */
    public Mono<RecallView> lock(Caller caller, String sku, String batch, String reason, String codesAfter,
                                 int codesLimit, String authorization) {
        BatchControlEvent event = event(caller, sku, batch,
                BatchLocked.newBuilder().setReason(reason).setLockedBy(caller.subject()).build());
        return publisher.publish(Topics.BATCH_CONTROL, Topics.key(sku, batch), event)
                // the lock is durable; the answer shows it as in force even before every instance has read it
                .then(Mono.defer(() -> answer(caller, sku, batch, true, event.getEventId(), true,
                        codesAfter, codesLimit, authorization)));
    }

    /** Releases the lock: the batch may be allocated and sold again. */
    public Mono<RecallView> release(Caller caller, String sku, String batch, String reason, String codesAfter,
                                    int codesLimit, String authorization) {
        BatchControlEvent event = event(caller, sku, batch,
                BatchReleased.newBuilder().setReleasedBy(caller.subject()).setReason(reason).build());
        return publisher.publish(Topics.BATCH_CONTROL, Topics.key(sku, batch), event)
                .then(Mono.defer(() -> answer(caller, sku, batch, false, event.getEventId(), true,
                        codesAfter, codesLimit, authorization)));
    }

    /** The recall answer as the inventory and the trace projection know it now. */
    public Mono<RecallView> current(Caller caller, String sku, String batch, boolean acceptPartial,
                                    String codesAfter, int codesLimit, String authorization) {
        return Mono.defer(() -> answer(caller, sku, batch, network.isLocked(sku, batch), null, acceptPartial,
                codesAfter, codesLimit, authorization));
    }

    private Mono<RecallView> answer(Caller caller, String sku, String batch, boolean locked, String eventId,
                                    boolean acceptPartial, String codesAfter, int codesLimit, String authorization) {
        Mono<NetworkStockService.Gathered> holdings;
        if (eventId == null) {
            holdings = network.gather(caller, new Filter(sku, batch, null, null), acceptPartial, authorization);
        } else {
            // the lock or release is already accepted: answer with what could be gathered, marked incomplete,
            // rather than a 503 that would suggest the command did not happen
            holdings = Mono.defer(() -> network.gather(caller, new Filter(sku, batch, null, null), true,
                            authorization))
                    .onErrorResume(UnavailableException.class, e -> Mono.just(new NetworkStockService.Gathered(
                            List.of(), allPartitions(), List.of())));
        }
        Mono<Long> codesTotal = db.sql("select count(*) as n from trace_unit where sku = :sku and batch = :batch")
                .bind("sku", sku).bind("batch", batch)
                .map(row -> row.get("n", Long.class)).one();
        Mono<List<ShippedCode>> codes = shippedCodes(sku, batch, codesAfter, codesLimit + 1);
        return Mono.zip(holdings, codesTotal, codes).map(all -> {
            List<HoldingView> held = all.getT1().holdings().stream()
                    .map(holding -> locked ? holding.locked() : holding)
                    .toList();
            List<ShippedCode> page = all.getT3().subList(0, Math.min(codesLimit, all.getT3().size()));
            String nextCodesAfter = all.getT3().size() > codesLimit ? page.get(page.size() - 1).code() : null;
            return new RecallView(sku, batch, locked, eventId, held, HoldingTotals.of(held),
                    all.getT1().complete(), all.getT1().missingPartitions(), all.getT2(), page, nextCodesAfter);
        });
    }

    private static Set<Integer> allPartitions() {
        Set<Integer> all = new TreeSet<>();
        for (int partition = 0; partition < Topics.STOCK_MOVEMENTS.partitions(); partition++) {
            all.add(partition);
        }
        return all;
    }

    private Mono<List<ShippedCode>> shippedCodes(String sku, String batch, String codesAfter, int limit) {
        return db.sql("""
                        select u.code, u.unit_level,
                               leg.shipment_id, leg.from_location_id, leg.to_location_id, leg.occurred_at as shipped_at,
                               dest.region_code as shipped_to_region,
                               scan.scanner_role, scan.location_id as scan_location,
                               coalesce(scan.region_code, scanned_at_location.region_code) as scan_region,
                               scan.occurred_at as scanned_at
                        from trace_unit u
                        left join lateral (select * from trace_leg l where l.code = u.code
                                           order by l.occurred_at desc limit 1) leg on true
                        left join location dest on dest.location_id = leg.to_location_id
                        left join lateral (select * from trace_scan s where s.code = u.code
                                           order by s.occurred_at desc limit 1) scan on true
                        left join location scanned_at_location on scanned_at_location.location_id = scan.location_id
                        where u.sku = :sku and u.batch = :batch and u.code > :after
                        order by u.code
                        limit :limit""")
                .bind("sku", sku).bind("batch", batch).bind("after", codesAfter == null ? "" : codesAfter)
                .bind("limit", limit)
                .map(RecallService::shippedCode)
                .all()
                .collectList();
    }

    private static ShippedCode shippedCode(Readable row) {
        Instant shippedAt = instant(row, "shipped_at");
        Instant scannedAt = instant(row, "scanned_at");
        LastPlace place;
        if (scannedAt != null && (shippedAt == null || !scannedAt.isBefore(shippedAt))) {
            place = new LastPlace("SCANNED", row.get("scanner_role", String.class),
                    row.get("scan_location", String.class), row.get("scan_region", String.class), scannedAt);
        } else if (shippedAt != null) {
            place = new LastPlace("SHIPPED_TO", null, row.get("to_location_id", String.class),
                    row.get("shipped_to_region", String.class), shippedAt);
        } else {
            place = null;
        }
        return new ShippedCode(row.get("code", String.class), row.get("unit_level", String.class),
                row.get("shipment_id", String.class), row.get("from_location_id", String.class),
                row.get("to_location_id", String.class), shippedAt, place);
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static BatchControlEvent event(Caller caller, String sku, String batch, Object payload) {
        return BatchControlEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource("api:" + caller.role().name().toLowerCase() + ":" + caller.subject())
                .setSku(sku)
                .setBatch(batch)
                .setPayload(payload)
                .build();
    }
}
