package io.channelstream.diversion;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.CodeTrail;
import io.channelstream.events.DealerDiversionScore;
import io.channelstream.events.DealerUpserted;
import io.channelstream.events.LocationKind;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.Pallet;
import io.channelstream.events.RegionAuthorization;
import io.channelstream.events.RegionalPriceUpserted;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.ShipTo;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.TransferApproved;
import io.channelstream.events.TransferDispatched;
import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferLine;
import io.channelstream.events.TransferRejected;
import io.channelstream.events.TransferRequested;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.StreamsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A small world for diversion stories: dealers with their regions, their depots, prices, and the facts
 * (shipments, transfers, scans, orders, sales) told through the topology with event time under the
 * test's control. Every alert published is collected, in order.
 */
final class DiversionWorld implements AutoCloseable {

    static final Instant MONDAY = Instant.parse("2026-11-16T08:00:00Z");

    /** Tianhe, Guangzhou: the Guangdong dealer's depot. */
    static final String GUANGZHOU_TIANHE = "440106";
    static final String GUANGZHOU_YUEXIU = "440104";
    static final String SHENZHEN_NANSHAN = "440305";
    static final String SHANGHAI_PUDONG = "310115";
    static final String SHANGHAI_XUHUI = "310104";
    static final String HANGZHOU_XIHU = "330106";
    static final String BEIJING_CHAOYANG = "110105";

    /** A GTIN-14 with a correct check digit, for the Digital Link codes of the stories. */
    static final String GTIN = gtin("0690123456789");

    private final TopologyTestDriver driver;
    private final EventSerdes serdes;
    private final List<Alert> alerts = new ArrayList<>();
    private final TestOutputTopic<String, Alert> alertTopic;
    private final TestOutputTopic<String, byte[]> deadLetterTopic;
    /** Wall-clock time between two facts: long enough for a settling out-of-region verdict to be given. */
    private java.time.Duration wallClockBetweenFacts;
    private int serial;

    DiversionWorld(DiversionConfig config, Path stateDir) {
        serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        wallClockBetweenFacts = config.outOfRegionSettle();
        driver = new TopologyTestDriver(DiversionTopology.build(config, serdes),
                StreamsSettings.local("diversion-test", "unused:9092", stateDir).toProperties());
        alertTopic = driver.createOutputTopic(Topics.ALERTS.name(), Serdes.String().deserializer(),
                serdes.value(Topics.ALERTS).deserializer());
        deadLetterTopic = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
                new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        driver.close();
    }

    // --- master data ---------------------------------------------------------------------------------------

    DiversionWorld dealer(String dealerId, Instant effectiveFrom, String... regionCodes) {
        return dealer(dealerId, null, effectiveFrom, List.of(regionCodes), List.of());
    }

    DiversionWorld dealer(String dealerId, String managerRegion, Instant effectiveFrom, List<String> regionCodes,
                          List<RegionAuthorization> history) {
        pipe(Topics.DEALERS, dealerId, DealerUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(effectiveFrom)
                .setSource("test")
                .setDealerId(dealerId)
                .setName("Dealer " + dealerId)
                .setTier(1)
                .setAuthorizedRegionCodes(regionCodes)
                .setEffectiveFrom(effectiveFrom)
                .setRegionalManagerRegionCode(managerRegion)
                .setAuthorizationHistory(history)
                .build(), effectiveFrom);
        return this;
    }

    DiversionWorld location(String locationId, String regionCode, double latitude, double longitude, String dealerId) {
        pipe(Topics.LOCATIONS, locationId, LocationUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(MONDAY.minusSeconds(86_400))
                .setSource("test")
                .setLocationId(locationId)
                .setName("Location " + locationId)
                .setKind(dealerId == null ? LocationKind.REGIONAL_WAREHOUSE : LocationKind.DEALER)
                .setRegionCode(regionCode)
                .setLatitude(latitude)
                .setLongitude(longitude)
                .setDealerId(dealerId)
                .build(), MONDAY.minusSeconds(86_400));
        return this;
    }

    DiversionWorld price(String sku, String regionCode, long listPriceFen, long floorPriceFen, Instant effectiveFrom) {
        pipe(Topics.REGIONAL_PRICES, Topics.key(sku, regionCode), RegionalPriceUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(effectiveFrom)
                .setSource("test")
                .setSku(sku)
                .setRegionCode(regionCode)
                .setListPriceFen(listPriceFen)
                .setFloorPriceFen(floorPriceFen)
                .setEffectiveFrom(effectiveFrom)
                .build(), effectiveFrom);
        return this;
    }

    // --- codes ---------------------------------------------------------------------------------------------

    /** A fresh serialised item code (GS1 Digital Link). */
    String itemCode() {
        return "https://qr.brand.test/01/" + GTIN + "/10/B2026-01/21/I" + (++serial);
    }

    String caseCode() {
        return "CASE-" + (++serial);
    }

    String palletCode() {
        return "https://qr.brand.test/00/" + sscc("00690123400000" + String.format("%03d", ++serial));
    }

    static CaseUnit caseOf(String caseCode, String sku, String batch, String... itemCodes) {
        return CaseUnit.newBuilder().setCaseCode(caseCode).setSku(sku).setBatch(batch)
                .setItemCodes(Arrays.asList(itemCodes)).build();
    }

    static Pallet palletOf(String palletCode, CaseUnit... cases) {
        return Pallet.newBuilder().setPalletCode(palletCode).setCases(Arrays.asList(cases)).build();
    }

    // --- facts ---------------------------------------------------------------------------------------------

    void ship(String shipmentId, String toLocationId, String toDealerId, Instant at, List<Pallet> pallets,
              CaseUnit... looseCases) {
        pipe(Topics.SHIPMENTS, shipmentId, ShipmentDispatched.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setSource("test")
                .setShipmentId(shipmentId)
                .setOrderId(null)
                .setFromLocationId("WH-SOUTH")
                .setToLocationId(toLocationId)
                .setToDealerId(toDealerId)
                .setLines(List.of(ShipmentLine.newBuilder().setSku("SKU-FORMULA-900G").setBatch("B2026-01")
                        .setQuantity(1).build()))
                .setPallets(pallets)
                .setLooseCases(Arrays.asList(looseCases))
                .build(), at);
    }

    /** Ships loose items of one case to a dealer's depot; returns nothing, the codes are the caller's. */
    void shipItems(String shipmentId, String toLocationId, String toDealerId, Instant at, String caseCode,
                   String... itemCodes) {
        ship(shipmentId, toLocationId, toDealerId, at, List.of(),
                caseOf(caseCode, "SKU-FORMULA-900G", "B2026-01", itemCodes));
    }

    ScanRecorded scan(String code, ScannerRole role, String regionCode, Instant at) {
        return scan(ScanRecorded.newBuilder(baseScan(code, role, at)).setRegionCode(regionCode).build());
    }

    ScanRecorded scanAt(String code, ScannerRole role, String regionCode, double latitude, double longitude,
                        Instant at) {
        return scan(ScanRecorded.newBuilder(baseScan(code, role, at)).setRegionCode(regionCode)
                .setLatitude(latitude).setLongitude(longitude).build());
    }

    ScanRecorded sale(String code, String regionCode, long unitPriceFen, Instant at) {
        return scan(ScanRecorded.newBuilder(baseScan(code, ScannerRole.STORE_SALE, at)).setRegionCode(regionCode)
                .setUnitPriceFen(unitPriceFen).build());
    }

    ScanRecorded scan(ScanRecorded scan) {
        pipe(Topics.SCANS, scan.getCode(), scan, scan.getOccurredAt());
        return scan;
    }

    static ScanRecorded baseScan(String code, ScannerRole role, Instant at) {
        return ScanRecorded.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setSource("test")
                .setCode(code)
                .setPlaceLocationId(null)
                .setRegionCode(null)
                .setLatitude(null)
                .setLongitude(null)
                .setScannerRole(role)
                .setUnitPriceFen(null)
                .build();
    }

    void requestTransfer(String transferId, String from, String to, Instant at) {
        transfer(transferId, at, TransferRequested.newBuilder().setFromLocationId(from).setToLocationId(to)
                .setLines(List.of(TransferLine.newBuilder().setSku("SKU-FORMULA-900G").setBatch(null).setQuantity(1)
                        .build()))
                .setRequestedBy("dealer").build());
    }

    void approveTransfer(String transferId, Instant at) {
        transfer(transferId, at, TransferApproved.newBuilder().setApprovedBy("manager").build());
    }

    void rejectTransfer(String transferId, Instant at) {
        transfer(transferId, at, TransferRejected.newBuilder().setRejectedBy("manager").setReason("no").build());
    }

    void dispatchTransfer(String transferId, Instant at, String... codes) {
        transfer(transferId, at, TransferDispatched.newBuilder().setLogisticsOrderId("WB-1")
                .setLines(List.of()).setCodes(Arrays.asList(codes)).build());
    }

    private void transfer(String transferId, Instant at, Object payload) {
        pipe(Topics.TRANSFERS, transferId, TransferEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setSource("test")
                .setTransferId(transferId)
                .setPayload(payload)
                .build(), at);
    }

    void order(String orderId, String dealerId, String shipToRegion, Instant at, OrderLine... lines) {
        pipe(Topics.ORDERS, orderId, OrderEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setSource("test")
                .setOrderId(orderId)
                .setPayload(OrderPlaced.newBuilder()
                        .setDealerId(dealerId)
                        .setFulfillingLocationId("WH-SOUTH")
                        .setShipTo(ShipTo.newBuilder().setRegionCode(shipToRegion).build())
                        .setPromo(false)
                        .setLines(Arrays.asList(lines))
                        .build())
                .build(), at);
    }

    static OrderLine line(String sku, int quantity, long unitPriceFen) {
        return OrderLine.newBuilder().setSku(sku).setQuantity(quantity).setUnitPriceFen(unitPriceFen).build();
    }

    void tillSale(String locationId, String sku, long unitPriceFen, Instant at) {
        pipe(Topics.STOCK_MOVEMENTS, locationId, StockMovementRecorded.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setSource("test")
                .setLocationId(locationId)
                .setSku(sku)
                .setBatch("B2026-01")
                .setKind(MovementKind.SALE)
                .setQuantity(1)
                .setUnitPriceFen(unitPriceFen)
                .build(), at);
    }

    /** Raw bytes on a topic, for input no producer of ours would write. */
    void pipeRaw(String topic, String key, byte[] value, Instant at) {
        driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput(key, value, at);
    }

    <V extends SpecificRecord> void pipe(Topic<V> topic, String key, V value, Instant at) {
        TestInputTopic<String, V> input = driver.createInputTopic(topic.name(), Serdes.String().serializer(),
                serdes.value(topic).serializer());
        input.pipeInput(key, value, at);
        if (!wallClockBetweenFacts.isZero()) {
            driver.advanceWallClockTime(wallClockBetweenFacts);
        }
    }

    /**
     * From here on facts arrive within moments of each other (the wall clock stands still between them), as a
     * scan and a binding racing through the running app do; {@link #advanceWallClock} moves it on.
     */
    DiversionWorld factsArriveTogether() {
        wallClockBetweenFacts = java.time.Duration.ZERO;
        return this;
    }

    /** Moves the driver's wall clock on (wall-clock punctuators run), event time stays where it is. */
    void advanceWallClock(java.time.Duration by) {
        driver.advanceWallClockTime(by);
    }

    // --- what came out ---------------------------------------------------------------------------------------

    List<Alert> alerts() {
        alertTopic.readValuesToList().forEach(alerts::add);
        return List.copyOf(alerts);
    }

    List<Alert> alerts(AlertType type) {
        return alerts().stream().filter(alert -> alert.getAlertType() == type).toList();
    }

    List<Alert> raised(AlertType type) {
        return alerts(type).stream().filter(alert -> alert.getStatus() == AlertStatus.RAISED).toList();
    }

    List<TestRecord<String, byte[]>> deadLetters() {
        return deadLetterTopic.readRecordsToList();
    }

    static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    CodeTrail trail(String code) {
        KeyValueStore<String, CodeTrail> store = driver.getKeyValueStore(DiversionTopology.CODE_TRAILS_STORE);
        return store.get(code);
    }

    DealerDiversionScore score(String dealerId) {
        KeyValueStore<String, DealerDiversionScore> store = driver.getKeyValueStore(DiversionTopology.DEALER_SCORES_STORE);
        return store.get(dealerId);
    }

    static String gtin(String thirteenDigits) {
        return thirteenDigits + TraceCode.gs1CheckDigit(thirteenDigits);
    }

    static String sscc(String seventeenDigits) {
        return seventeenDigits + TraceCode.gs1CheckDigit(seventeenDigits);
    }
}
