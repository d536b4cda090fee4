package io.channelstream.api.benchmarks;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.support.SecondApiInstance;
import io.channelstream.api.trace.TraceCodes;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.Pallet;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.events.TraceRecorded;
import io.channelstream.events.TraceStep;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * The goods a trace lookup benchmark scans: products, a brand's warehouses and dealers spread over the
 * country, batches with their farm, plant and lab records, and every batch's pallets → cases → tins shipped
 * central warehouse → regional warehouse → dealer, each case received by its dealer. Published as the
 * brand's systems would (shipments, trace records and scans to Kafka, master data in PostgreSQL), then waited
 * for until the trace projection has written it all.
 *
 * <p>Sizes: {@code skus} products, {@code batches} batches (spread over the products), each batch
 * {@code palletsPerBatch} pallets × {@code casesPerPallet} cases × {@code itemsPerCase} tins. The item codes it
 * returns are the Digital Link URIs as printed on the tins. Names carry a per-run tag, so a database that is
 * not fresh does not mix runs.
 */
final class TraceLookupWorld {

    record Sizes(int skus, int batches, int palletsPerBatch, int casesPerPallet, int itemsPerCase) {
        int items() {
            return batches * palletsPerBatch * casesPerPallet * itemsPerCase;
        }
    }

    /** What was built: the tins' printed codes, and counties consumers may say they are in. */
    record World(List<String> itemCodes, List<String> counties) {}

    private static final Instant MILKED = Instant.parse("2026-01-05T06:30:00Z");

    private TraceLookupWorld() {
    }

    static World build(SecondApiInstance app, Sizes sizes, List<String> counties, Random random) throws Exception {
        String run = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()) % 1_000_000, 36)
                .toUpperCase(Locale.ROOT);
        DatabaseClient db = app.bean(DatabaseClient.class);
        EventPublisher publisher = app.bean(EventPublisher.class);
        long started = System.nanoTime();

        // master data: products, and places (1 central warehouse, 7 regional warehouses, 60 dealers)
        List<String> skus = new ArrayList<>();
        List<String> gtins = new ArrayList<>();
        for (int s = 0; s < sizes.skus(); s++) {
            String sku = "SKU-TB-" + run + "-" + s;
            String first12 = "69" + String.format(Locale.ROOT, "%010d",
                    Math.floorMod(random.nextLong(), 10_000_000_000L));
            String gtin = "0" + first12 + TraceCodes.checkDigit("0" + first12);
            db.sql("""
                            insert into product (sku, gtin, name, category, size_label, shelf_life_days, expiry_warning_days)
                            values (:sku, :gtin, :name, 'INFANT_FORMULA', '900 g', 540, 180) on conflict do nothing""")
                    .bind("sku", sku).bind("gtin", gtin).bind("name", "Stage " + (1 + s % 3) + " formula " + s)
                    .fetch().rowsUpdated().block(Duration.ofSeconds(10));
            skus.add(sku);
            gtins.add(gtin);
        }
        String central = location(db, "WH-TB-" + run + "-C", "CENTRAL_WAREHOUSE", "110105", null);
        List<String> regional = new ArrayList<>();
        for (int r = 0; r < 7; r++) {
            regional.add(location(db, "WH-TB-" + run + "-R" + r, "REGIONAL_WAREHOUSE",
                    counties.get(random.nextInt(counties.size())), null));
        }
        List<String> dealers = new ArrayList<>();
        for (int d = 0; d < 60; d++) {
            dealers.add(location(db, "DL-TB-" + run + "-" + d, "DEALER", counties.get(random.nextInt(counties.size())),
                    "D-TB-" + run + "-" + d));
        }

        List<String> itemCodes = new ArrayList<>(sizes.items());
        List<Event<?>> events = new ArrayList<>();
        int expectedLegs = 0;
        int expectedScans = 0;
        for (int b = 0; b < sizes.batches(); b++) {
            String sku = skus.get(b % skus.size());
            String gtin = gtins.get(b % skus.size());
            String batch = "B" + run + "-" + b;
            Instant made = MILKED.plus(b % 30, ChronoUnit.DAYS);
            events.add(new Event<>(Topics.TRACE_RECORDS, sku + "|" + batch, step(sku, batch, TraceStep.RAW_MATERIAL,
                    "Pasture " + (b % 12), Map.of("milkingTime", made.toString(), "feed", "alfalfa and oat hay",
                            "purchasePriceFen", "412"), null, made)));
            events.add(new Event<>(Topics.TRACE_RECORDS, sku + "|" + batch, step(sku, batch, TraceStep.PRODUCTION,
                    "Plant " + (b % 3) + ", line " + (b % 5), Map.of("sterilisationTempCelsius", "137",
                            "operatorName", "Wang Fang"), null, made.plus(2, ChronoUnit.DAYS))));
            events.add(new Event<>(Topics.TRACE_RECORDS, sku + "|" + batch, step(sku, batch,
                    TraceStep.QUALITY_CHECK, "Plant " + (b % 3) + " lab", Map.of("result", "PASS"), "QC-" + batch,
                    made.plus(3, ChronoUnit.DAYS))));

            String warehouse = regional.get(b % regional.size());
            Instant shipped = made.plus(10, ChronoUnit.DAYS);
            List<Pallet> pallets = new ArrayList<>();
            for (int p = 0; p < sizes.palletsPerBatch(); p++) {
                String palletCode = "SSCC-" + batch + "-" + p;
                List<CaseUnit> cases = new ArrayList<>();
                for (int c = 0; c < sizes.casesPerPallet(); c++) {
                    List<String> items = new ArrayList<>();
                    for (int i = 0; i < sizes.itemsPerCase(); i++) {
                        String code = "https://brand.example/01/" + gtin + "/10/" + batch + "/21/S" + p + "x" + c
                                + "x" + i;
                        items.add(code);
                        itemCodes.add(code);
                    }
                    cases.add(CaseUnit.newBuilder().setCaseCode("CASE-" + batch + "-" + p + "-" + c).setSku(sku)
                            .setBatch(batch).setItemCodes(items).build());
                }
                pallets.add(Pallet.newBuilder().setPalletCode(palletCode).setCases(cases).build());
            }
            int unitsPerPallet = 1 + sizes.casesPerPallet() * (1 + sizes.itemsPerCase());
            String toWarehouse = "SH-" + batch + "-W";
            events.add(new Event<>(Topics.SHIPMENTS, toWarehouse, shipment(toWarehouse, central, warehouse,
                    shipped, List.of(ShipmentLine.newBuilder().setSku(sku).setBatch(batch)
                            .setQuantity(sizes.palletsPerBatch() * sizes.casesPerPallet() * sizes.itemsPerCase())
                            .setProductionDate(LocalDate.ofInstant(made, java.time.ZoneOffset.UTC).plusDays(2))
                            .setExpiryDate(LocalDate.ofInstant(made, java.time.ZoneOffset.UTC).plusDays(542))
                            .build()), pallets)));
            expectedLegs += unitsPerPallet * pallets.size();
            for (int p = 0; p < pallets.size(); p++) {
                String dealer = dealers.get(random.nextInt(dealers.size()));
                String toDealer = "SH-" + batch + "-D" + p;
                Instant sent = shipped.plus(3, ChronoUnit.DAYS);
                events.add(new Event<>(Topics.SHIPMENTS, toDealer, shipment(toDealer, warehouse, dealer, sent,
                        List.of(), List.of(pallets.get(p)))));
                expectedLegs += unitsPerPallet;
                for (CaseUnit unit : pallets.get(p).getCases()) {
                    events.add(new Event<>(Topics.SCANS, unit.getCaseCode(), ScanRecorded.newBuilder()
                            .setEventId(UUID.randomUUID().toString()).setOccurredAt(sent.plus(1, ChronoUnit.DAYS))
                            .setSource("dealer-app").setCode(unit.getCaseCode()).setPlaceLocationId(dealer)
                            .setScannerRole(ScannerRole.DEALER_RECEIPT).build()));
                    expectedScans++;
                }
            }
        }
        // trace records and shipments first (a scan of a code no shipment named yet is still recorded)
        Flux.fromIterable(events)
                .concatMap(event -> publish(publisher, event), 1)
                .blockLast(Duration.ofMinutes(5));
        String legs = "select count(*) as n from trace_leg where shipment_id like 'SH-B" + run + "-%'";
        String scans = "select count(*) as n from trace_scan s join trace_unit u on u.code = s.code "
                + "where u.batch like 'B" + run + "-%'";
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long legsWritten = 0;
        long scansWritten = 0;
        while ((legsWritten < expectedLegs || scansWritten < expectedScans) && System.nanoTime() < deadline) {
            Thread.sleep(500); // the projection follows the topics on its own
            legsWritten = count(db, legs);
            scansWritten = count(db, scans);
        }
        System.out.printf(Locale.ROOT, "lookups: world of %d SKUs, %d batches, %d tins built in %.1f s (%d of %d legs, "
                        + "%d of %d receipts projected)%n", sizes.skus(), sizes.batches(), itemCodes.size(),
                (System.nanoTime() - started) / 1e9, legsWritten, expectedLegs, scansWritten, expectedScans);
        return new World(itemCodes, counties);
    }

    private static reactor.core.publisher.Mono<?> publish(EventPublisher publisher, Event<?> event) {
        return event.publish(publisher);
    }

    private static long count(DatabaseClient db, String sql) {
        return db.sql(sql).map(row -> row.get("n", Long.class)).one().block(Duration.ofSeconds(30));
    }

    private static String location(DatabaseClient db, String id, String kind, String region, String dealerId) {
        var insert = db.sql("""
                        insert into location (location_id, name, kind, region_code, latitude, longitude, dealer_id)
                        values (:id, :name, :kind, :region, 30.0, 115.0, :dealer) on conflict do nothing""")
                .bind("id", id).bind("name", "Named place " + id).bind("kind", kind).bind("region", region);
        (dealerId == null ? insert.bindNull("dealer", String.class) : insert.bind("dealer", dealerId))
                .fetch().rowsUpdated().block(Duration.ofSeconds(10));
        return id;
    }

    private static ShipmentDispatched shipment(String id, String from, String to, Instant at, List<ShipmentLine> lines,
                                               List<Pallet> pallets) {
        return ShipmentDispatched.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setSource("wms").setShipmentId(id).setOrderId("O-SECRET-" + id).setFromLocationId(from)
                .setToLocationId(to).setLines(lines).setPallets(pallets).build();
    }

    private static TraceRecorded step(String sku, String batch, TraceStep kind, String place,
                                      Map<String, String> attributes, String qcReportRef, Instant at) {
        return TraceRecorded.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setSource("mes").setSku(sku).setBatch(batch).setStep(kind).setPlace(place)
                .setAttributes(attributes).setQcReportRef(qcReportRef).build();
    }

    /** An event for one topic, with its key. */
    private record Event<V extends SpecificRecord>(Topic<V> topic, String key, V value) {
        reactor.core.publisher.Mono<EventPublisher.PublishedEvent> publish(EventPublisher publisher) {
            return publisher.publish(topic, key, value);
        }
    }
}
