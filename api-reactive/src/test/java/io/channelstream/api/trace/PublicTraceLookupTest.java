package io.channelstream.api.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.kafka.EventSubscriber;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.Pallet;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.events.TraceRecorded;
import io.channelstream.events.TraceStep;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * A consumer scans the QR code on a tin of infant formula: what the brand knows about that tin, from the
 * farm to the store shelf, without prices, dealers or anyone's personal data; and the scan is recorded.
 */
class PublicTraceLookupTest extends ApiIntegrationTest {

    private static final Instant MILKED = Instant.parse("2026-01-08T05:30:00Z");

    @Autowired
    EventPublisher publisher;

    @Autowired
    EventSubscriber subscriber;

    @Autowired
    DatabaseClient db;

    @Autowired
    TraceLookup traceLookup;

    private String sku;
    private String gtin13;
    private String batch;
    private String serial;
    private String centralWarehouse;
    private String dealerDepot;

    @BeforeEach
    void aTinThatTravelledFromTheFarmToAGuangzhouDealer() {
        sku = unique("SKU-FORMULA");
        gtin13 = gtin13();
        batch = "B" + ThreadLocalRandom.current().nextInt(100_000, 999_999);
        serial = "S" + UUID.randomUUID().toString().substring(0, 10);
        centralWarehouse = unique("WH-C");
        dealerDepot = unique("DL-GZ");
        location(centralWarehouse, "CENTRAL_WAREHOUSE", "110105", null);
        location(dealerDepot, "DEALER", "440106", "D-GZ-SECRET");
        db.sql("""
                        insert into product (sku, gtin, name, category, size_label, shelf_life_days, expiry_warning_days)
                        values (:sku, :gtin, 'Stage 1 infant formula', 'INFANT_FORMULA', '900 g', 540, 180)""")
                .bind("sku", sku).bind("gtin", "0" + gtin13).fetch().rowsUpdated().block(Duration.ofSeconds(10));

        publish(Topics.TRACE_RECORDS, sku + "|" + batch, step(TraceStep.RAW_MATERIAL, "Hulunbuir pasture 3",
                Map.of("milkingTime", MILKED.toString(), "feed", "alfalfa and oat hay", "purchasePriceFen", "412",
                        "farmerPhone", "13800000000"), null, MILKED));
        publish(Topics.TRACE_RECORDS, sku + "|" + batch, step(TraceStep.PRODUCTION, "Plant 2, line 4",
                Map.of("sterilisationTempCelsius", "137", "fillingRoomClass", "ISO 5", "operatorName", "Wang Fang"),
                null, MILKED.plus(2, ChronoUnit.DAYS)));
        publish(Topics.TRACE_RECORDS, sku + "|" + batch, step(TraceStep.QUALITY_CHECK, "Plant 2 lab",
                Map.of("result", "PASS"), "QC-2026-" + batch, MILKED.plus(3, ChronoUnit.DAYS)));

        Instant shipped = MILKED.plus(10, ChronoUnit.DAYS);
        publish(Topics.SHIPMENTS, "SH-" + batch, ShipmentDispatched.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(shipped)
                .setSource("wms-central")
                .setShipmentId("SH-" + batch)
                .setOrderId("O-SECRET-ORDER")
                .setFromLocationId(centralWarehouse)
                .setToLocationId(dealerDepot)
                .setToDealerId("D-GZ-SECRET")
                .setLines(List.of(ShipmentLine.newBuilder().setSku(sku).setBatch(batch).setQuantity(12)
                        .setProductionDate(LocalDate.parse("2026-01-10")).setExpiryDate(LocalDate.parse("2027-07-10"))
                        .build()))
                .setPallets(List.of(Pallet.newBuilder().setPalletCode("SSCC-" + batch)
                        .setCases(List.of(CaseUnit.newBuilder().setCaseCode("CASE-" + batch).setSku(sku).setBatch(batch)
                                .setItemCodes(List.of(printedLink(), "https://brand.example/01/0" + gtin13 + "/10/"
                                        + batch + "/21/OTHER-TIN"))
                                .build()))
                        .build()))
                .build());
        publish(Topics.SCANS, "CASE-" + batch, scan("CASE-" + batch, ScannerRole.DEALER_RECEIPT, dealerDepot, null,
                shipped.plus(2, ChronoUnit.DAYS)));
        publish(Topics.SCANS, printedLink(), scan(printedLink(), ScannerRole.STORE_SALE, null, 25_900L,
                shipped.plus(9, ChronoUnit.DAYS)));
    }

    @Test
    void scanningTheTinShowsFarmPlantQualityCheckAndChannelWithoutCommercialOrPersonalData() {
        String path = "/01/" + gtin13 + "/10/" + batch + "/21/" + serial; // GTIN-13, as printed
        awaitChannelSteps(path, 3);

        String raw = web.get().uri(path).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        TraceView trace = web.get().uri(path).exchange().expectStatus().isOk()
                .expectBody(TraceView.class).returnResult().getResponseBody();

        assertThat(trace.code()).isEqualTo("/01/0" + gtin13 + "/10/" + batch + "/21/" + serial);
        assertThat(trace.unitLevel()).isEqualTo("ITEM");
        assertThat(trace.product().name()).isEqualTo("Stage 1 infant formula");
        assertThat(trace.product().gtin()).isEqualTo("0" + gtin13);
        assertThat(trace.batch()).isEqualTo(new TraceView.BatchInfo(batch, LocalDate.parse("2026-01-10"),
                LocalDate.parse("2027-07-10")));
        assertThat(trace.rawMaterial()).singleElement().satisfies(step -> {
            assertThat(step.place()).isEqualTo("Hulunbuir pasture 3");
            assertThat(step.attributes()).containsOnlyKeys("milkingTime", "feed");
        });
        assertThat(trace.production()).singleElement().satisfies(step ->
                assertThat(step.attributes()).containsOnlyKeys("sterilisationTempCelsius", "fillingRoomClass"));
        assertThat(trace.qualityChecks()).hasSize(1);
        assertThat(trace.qcReportRefs()).containsExactly("QC-2026-" + batch);
        assertThat(trace.channel()).extracting(TraceView.ChannelStep::kind).containsExactly("SHIPPED", "RECEIVED", "SOLD");
        assertThat(trace.channel().get(0).from()).isEqualTo(
                new TraceView.Place("CENTRAL_WAREHOUSE", "110105", "北京市 朝阳区"));
        assertThat(trace.channel().get(0).to().kind()).isEqualTo("DEALER");
        assertThat(trace.channel().get(0).to().regionCode()).isEqualTo("440106");
        assertThat(trace.channel().get(1).at().kind()).isEqualTo("DEALER"); // the case was received, the tin in it

        assertThat(raw).doesNotContain("D-GZ-SECRET", "O-SECRET-ORDER", "25900", "412", "13800000000", "Wang Fang",
                dealerDepot, centralWarehouse, "Fen");
    }

    @Test
    void theFullDigitalLinkAsPrintedFindsTheSameTin() {
        awaitChannelSteps("/01/" + gtin13 + "/10/" + batch + "/21/" + serial, 3);
        TraceView byLink = web.get().uri(uri -> uri.path("/api/public/trace").queryParam("code", "{code}")
                        .build(printedLink()))
                .exchange().expectStatus().isOk().expectBody(TraceView.class).returnResult().getResponseBody();
        TraceView byCase = web.get().uri(uri -> uri.path("/api/public/trace").queryParam("code", "{code}")
                        .build("CASE-" + batch))
                .exchange().expectStatus().isOk().expectBody(TraceView.class).returnResult().getResponseBody();

        assertThat(byLink.code()).isEqualTo("/01/0" + gtin13 + "/10/" + batch + "/21/" + serial);
        assertThat(byLink.channel()).hasSize(3);
        assertThat(byCase.unitLevel()).isEqualTo("CASE");
        assertThat(byCase.channel()).extracting(TraceView.ChannelStep::kind).containsExactly("SHIPPED", "RECEIVED");
    }

    @Test
    void eachLookupIsRecordedAsAConsumerScanWithWhereItHappened() {
        String path = "/01/0" + gtin13 + "/10/" + batch + "/21/" + serial;
        awaitChannelSteps(path, 3);
        web.get().uri(path + "?regionCode=310115&latitude=31.22&longitude=121.54").exchange().expectStatus().isOk();

        ScanRecorded scan = subscriber.subscribe(Topics.SCANS, unique("test-scans"))
                .map(EventSubscriber.ReceivedEvent::value)
                .filter(recorded -> recorded.getCode().equals(path) && "310115".equals(recorded.getRegionCode()))
                .blockFirst(Duration.ofSeconds(60));

        assertThat(scan.getScannerRole()).isEqualTo(ScannerRole.CONSUMER);
        assertThat(scan.getSource()).isEqualTo("api:public-trace");
        assertThat(scan.getLatitude()).isEqualTo(31.22);
        assertThat(scan.getUnitPriceFen()).isNull();
    }

    @Test
    void aProductRenamedByHqShowsOnTheNextLookupThoughTheProductIsCached() {
        String path = "/01/0" + gtin13 + "/10/" + batch + "/21/" + serial;
        awaitChannelSteps(path, 3); // the lookups so far have cached the product under its old name

        web.put().uri("/api/master/products/{sku}", sku)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"gtin": "0%s", "name": "Stage 1 infant formula, new recipe", "category": "INFANT_FORMULA",
                         "sizeLabel": "900 g", "shelfLifeDays": 540, "expiryWarningDays": 180}""".formatted(gtin13))
                .exchange().expectStatus().isOk();

        TraceView trace = web.get().uri(path).exchange().expectStatus().isOk()
                .expectBody(TraceView.class).returnResult().getResponseBody();
        assertThat(trace.product().name()).isEqualTo("Stage 1 infant formula, new recipe");
    }

    @Test
    void anUnknownCodeIs404AndIsStillRecordedAsAScan() {
        String fake = "/01/0" + gtin13 + "/10/" + batch + "/21/NEVER-MADE";
        web.get().uri(fake).exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.message").value(message ->
                        assertThat((String) message).contains("may not be genuine"));

        ScanRecorded scan = subscriber.subscribe(Topics.SCANS, unique("test-scans"))
                .map(EventSubscriber.ReceivedEvent::value)
                .filter(recorded -> recorded.getCode().equals(fake))
                .blockFirst(Duration.ofSeconds(60));
        assertThat(scan.getScannerRole()).isEqualTo(ScannerRole.CONSUMER);
    }

    @Test
    void lookupsOfManyCodesAtOnceEachShowTheirOwnTrace() {
        awaitChannelSteps("/01/0" + gtin13 + "/10/" + batch + "/21/" + serial, 3);
        String otherTin = "/01/0" + gtin13 + "/10/" + batch + "/21/OTHER-TIN";
        List<String> unknown = java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> "/01/0" + gtin13 + "/10/" + batch + "/21/NEVER-MADE-" + i).toList();
        List<String> codes = new java.util.ArrayList<>(List.of(otherTin, "CASE-" + batch, "SSCC-" + batch));
        codes.addAll(unknown);
        // misses at the same moment: they share the statements that read the codes' facts. Asked of the lookup
        // itself, all at once: through HTTP these 15 requests would spend most of the public limit (20 a second
        // from one address) that the other lookups of this class, sent from the same address, need too
        Map<String, Object> answers = reactor.core.publisher.Flux.fromIterable(codes)
                .flatMap(code -> traceLookup.publicTrace(code)
                        .map(found -> Map.entry(code, found.view() == null ? (Object) 404 : found.view())), codes.size())
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block(Duration.ofSeconds(60));

        TraceView other = (TraceView) answers.get(otherTin);
        assertThat(other.code()).isEqualTo(otherTin);
        assertThat(other.unitLevel()).isEqualTo("ITEM");
        // received in its case, but not the tin that was sold
        assertThat(other.channel()).extracting(TraceView.ChannelStep::kind).containsExactly("SHIPPED", "RECEIVED");
        TraceView unit = (TraceView) answers.get("CASE-" + batch);
        assertThat(unit.code()).isEqualTo("CASE-" + batch);
        assertThat(unit.unitLevel()).isEqualTo("CASE");
        assertThat(((TraceView) answers.get("SSCC-" + batch)).unitLevel()).isEqualTo("PALLET");
        unknown.forEach(code -> assertThat(answers.get(code)).isEqualTo(404));
    }

    @Test
    void aMistypedGtinIsRefusedNamingIt() {
        String wrongCheckDigit = gtin13.substring(0, 12) + ((gtin13.charAt(12) - '0' + 1) % 10);
        web.get().uri("/01/" + wrongCheckDigit + "/10/" + batch + "/21/" + serial).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("gtin");
        web.get().uri("/api/public/trace?code=").exchange().expectStatus().isBadRequest();
        web.get().uri("/01/" + gtin13 + "/10/" + batch + "/21/" + serial + "?regionCode=999999").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("regionCode");
    }

    @Test
    void theLookupNeedsNoToken() {
        web.get().uri("/api/public/trace?code=anything").exchange().expectStatus().isNotFound();
    }

    // --- helpers ---

    private String printedLink() {
        return "https://brand.example/01/0" + gtin13 + "/10/" + batch + "/21/" + serial;
    }

    private void awaitChannelSteps(String path, int steps) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var result = web.get().uri(path).exchange().returnResult(TraceView.class);
            if (result.getStatus().value() != 200) {
                return false;
            }
            TraceView trace = result.getResponseBody().blockFirst();
            return trace.channel().size() >= steps && trace.qualityChecks().size() == 1
                    && trace.rawMaterial().size() == 1 && trace.production().size() == 1;
        });
    }

    private void location(String id, String kind, String region, String dealerId) {
        String dealer = dealerId == null ? "null" : "\"" + dealerId + "\"";
        web.put().uri("/api/master/locations/{id}", id)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Named place %s", "kind": "%s", "regionCode": "%s", "latitude": 30.0,
                         "longitude": 115.0, "dealerId": %s}""".formatted(id, kind, region, dealer))
                .exchange().expectStatus().isOk();
    }

    private <V extends org.apache.avro.specific.SpecificRecord> void publish(io.channelstream.schemas.Topic<V> topic,
                                                                              String key, V value) {
        publisher.publish(topic, key, value).block(Duration.ofSeconds(30));
    }

    private TraceRecorded step(TraceStep kind, String place, Map<String, String> attributes, String qcReportRef,
                               Instant at) {
        return TraceRecorded.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setSource("mes-plant-2").setSku(sku).setBatch(batch).setStep(kind).setPlace(place)
                .setAttributes(attributes).setQcReportRef(qcReportRef).build();
    }

    private static ScanRecorded scan(String code, ScannerRole role, String location, Long priceFen, Instant at) {
        return ScanRecorded.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                .setSource("pos").setCode(code).setPlaceLocationId(location)
                .setRegionCode(location == null ? "440106" : null).setScannerRole(role).setUnitPriceFen(priceFen)
                .build();
    }

    /** A valid GTIN-13 with a unique item reference. */
    private static String gtin13() {
        String first12 = "69" + String.format("%010d", ThreadLocalRandom.current().nextLong(10_000_000_000L));
        return first12 + TraceCodes.checkDigit("0" + first12);
    }
}
