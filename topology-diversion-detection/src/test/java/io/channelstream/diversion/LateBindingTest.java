package io.channelstream.diversion;

import static io.channelstream.diversion.DiversionWorld.GUANGZHOU_TIANHE;
import static io.channelstream.diversion.DiversionWorld.MONDAY;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_PUDONG;
import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.SightingVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Facts out of order: a scan that arrives before its shipment's binding is held and judged when the
 * binding arrives; a code that stays unbound for the configured wait (event time, as far as both the scans and the
 * bindings have got: {@link BindingsWatermarkTest}) is reported unknown; a
 * receipt at a place the code was not sent to waits the same time for the shipment that explains it.
 */
class LateBindingTest {

    private static final Duration WAIT = DiversionConfig.defaults().unknownCodeWait();

    @TempDir
    Path stateDir;

    private DiversionWorld world;

    @BeforeEach
    void guangdongDealer() {
        world = new DiversionWorld(DiversionConfig.defaults(), stateDir);
        world.dealer("D-GZ", Instant.parse("2026-01-01T00:00:00Z"), "44")
                .location("DL-GZ", GUANGZHOU_TIANHE, 23.125, 113.361, "D-GZ");
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aScanArrivingBeforeItsShipmentIsHeldAndJudgedWhenTheBindingArrives() {
        String item = world.itemCode();
        // the shop's scan reaches us first; the warehouse uploads the dispatch an hour later
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(2)));
        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.HELD);

        world.shipItems("SHP-LATE", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        assertThat(world.raised(AlertType.DIVERSION)).singleElement().satisfies(alert -> {
            assertThat(alert.getCode()).isEqualTo(item);
            assertThat(alert.getEvidence()).containsEntry("shipmentId", "SHP-LATE");
        });
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.OUT_OF_REGION);
        assertThat(world.trail(item).getUnboundDeadline()).isNull();
    }

    @Test
    void aHeldScanInRegionIsFineOnceBoundAndNeverBecomesAnUnknownCode() {
        String item = world.itemCode();
        world.scan(item, ScannerRole.STORE_SALE, GUANGZHOU_TIANHE, MONDAY.plus(Duration.ofHours(5)));
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        advanceStreamTimeTo(MONDAY.plus(Duration.ofHours(5)).plus(WAIT).plus(Duration.ofHours(1)));

        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.IN_REGION);
    }

    @Test
    void aCodeStillUnboundAfterTheWaitRaisesOneUnknownCodeAlert() {
        String fake = "https://qr.brand.test/01/" + DiversionWorld.GTIN + "/21/FAKE-1";
        Instant firstScan = MONDAY.plus(Duration.ofHours(1));
        world.scan(fake, ScannerRole.CONSUMER, SHANGHAI_PUDONG, firstScan);
        world.scan(fake, ScannerRole.CONSUMER, SHANGHAI_PUDONG, firstScan.plus(Duration.ofHours(2)));

        advanceStreamTimeTo(firstScan.plus(WAIT).minus(Duration.ofMinutes(5)));
        assertThat(world.alerts()).as("still within the wait").isEmpty();

        advanceStreamTimeTo(firstScan.plus(WAIT).plus(Duration.ofMinutes(2)));
        advanceStreamTimeTo(firstScan.plus(WAIT).plus(Duration.ofHours(3)));

        assertThat(world.raised(AlertType.UNKNOWN_CODE)).singleElement().satisfies(alert -> {
            assertThat(alert.getConditionKey()).isEqualTo("UNKNOWN_CODE|" + fake);
            assertThat(alert.getRegionCode()).isEqualTo(SHANGHAI_PUDONG);
            assertThat(alert.getEvidence())
                    .containsEntry("sightings", "2")
                    .containsEntry("gtin", DiversionWorld.GTIN)
                    .containsEntry("waitMinutes", Long.toString(WAIT.toMinutes()));
        });
    }

    @Test
    void anUnknownCodeWhoseBindingArrivesAfterAllIsCleared() {
        String item = world.itemCode();
        Instant scanned = MONDAY.plus(Duration.ofHours(1));
        world.scan(item, ScannerRole.STORE_SALE, GUANGZHOU_TIANHE, scanned);
        advanceStreamTimeTo(scanned.plus(WAIT).plus(Duration.ofMinutes(2)));
        assertThat(world.raised(AlertType.UNKNOWN_CODE)).hasSize(1);

        world.shipItems("SHP-VERY-LATE", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        assertThat(world.alerts(AlertType.UNKNOWN_CODE)).extracting(Alert::getStatus)
                .containsExactly(AlertStatus.RAISED, AlertStatus.CLEARED);
        Alert cleared = world.alerts(AlertType.UNKNOWN_CODE).get(1);
        assertThat(cleared.getConditionKey()).isEqualTo("UNKNOWN_CODE|" + item);
        assertThat(cleared.getEvidence()).containsEntry("reference", "SHP-VERY-LATE");
        assertThat(world.raised(AlertType.DIVERSION)).isEmpty();
    }

    @Test
    void aScanBeforeTheCodeWasDispatchedProvesNothing() {
        String item = world.itemCode();
        // picked and scanned at the brand's Shanghai warehouse, then shipped to Guangzhou
        world.scan(item, ScannerRole.WAREHOUSE, SHANGHAI_PUDONG, MONDAY.minus(Duration.ofHours(3)));
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.BEFORE_DISPATCH);
    }

    @Test
    void aReceiptAtTheNextDealerBeforeItsShipmentArrivesIsJudgedAgainstThatShipment() {
        shanghaiDealer();
        String caseCode = world.caseCode();
        world.shipItems("SHP-TO-GZ", "DL-GZ", "D-GZ", MONDAY, caseCode, world.itemCode());
        // the Shanghai dealer's receiving scan is uploaded before the Guangzhou dealer's dispatch to it
        Instant received = MONDAY.plus(Duration.ofDays(1));
        world.scan(receipt(caseCode, "DL-SH", SHANGHAI_PUDONG, received));
        assertThat(world.alerts()).as("a receipt elsewhere first waits for the shipment that explains it").isEmpty();
        assertThat(world.trail(caseCode).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.HELD);

        world.shipItems("SHP-GZ-TO-SH", "DL-SH", "D-SH", received.minus(Duration.ofHours(2)), caseCode);
        advanceStreamTimeTo(received.plus(WAIT).plus(Duration.ofHours(1)));

        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(caseCode).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.IN_REGION);
        assertThat(world.trail(caseCode).getUnboundDeadline()).isNull();
    }

    @Test
    void aReceiptElsewhereThatNoShipmentExplainsIsADiversionOnceTheWaitEnds() {
        shanghaiDealer();
        String caseCode = world.caseCode();
        world.shipItems("SHP-TO-GZ", "DL-GZ", "D-GZ", MONDAY, caseCode, world.itemCode());
        Instant received = MONDAY.plus(Duration.ofDays(1));
        world.scan(receipt(caseCode, "DL-SH", SHANGHAI_PUDONG, received));

        advanceStreamTimeTo(received.plus(WAIT).minus(Duration.ofMinutes(5)));
        assertThat(world.raised(AlertType.DIVERSION)).as("still within the wait").isEmpty();

        advanceStreamTimeTo(received.plus(WAIT).plus(Duration.ofMinutes(2)));

        assertThat(world.raised(AlertType.DIVERSION)).singleElement().satisfies(alert -> {
            assertThat(alert.getCode()).isEqualTo(caseCode);
            assertThat(alert.getDealerId()).isEqualTo("D-GZ");
            assertThat(alert.getEvidence())
                    .containsEntry("scannerRole", "DEALER_RECEIPT")
                    .containsEntry("scannedLocationId", "DL-SH")
                    .containsEntry("shipmentId", "SHP-TO-GZ")
                    .containsEntry("scannedAt", received.toString());
        });
        assertThat(world.raised(AlertType.UNKNOWN_CODE)).isEmpty();
        assertThat(world.trail(caseCode).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.OUT_OF_REGION);
    }

    private void shanghaiDealer() {
        world.dealer("D-SH", Instant.parse("2026-01-01T00:00:00Z"), "31")
                .location("DL-SH", SHANGHAI_PUDONG, 31.221, 121.544, "D-SH");
    }

    private static io.channelstream.events.ScanRecorded receipt(String code, String locationId, String regionCode,
                                                               Instant at) {
        return io.channelstream.events.ScanRecorded.newBuilder(
                        DiversionWorld.baseScan(code, ScannerRole.DEALER_RECEIPT, at))
                .setPlaceLocationId(locationId).setRegionCode(regionCode).build();
    }

    /** Stream time moves with the events a task reads; a scan of another code moves it here. */
    private void advanceStreamTimeTo(Instant at) {
        String other = world.itemCode();
        world.shipItems("SHP-CLOCK-" + at.toEpochMilli(), "DL-GZ", "D-GZ", at.minusSeconds(1), world.caseCode(), other);
        world.scan(other, ScannerRole.STORE_SALE, GUANGZHOU_TIANHE, at);
    }
}
