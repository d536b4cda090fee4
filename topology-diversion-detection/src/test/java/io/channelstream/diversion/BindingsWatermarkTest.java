package io.channelstream.diversion;

import static io.channelstream.diversion.DiversionWorld.GUANGZHOU_TIANHE;
import static io.channelstream.diversion.DiversionWorld.MONDAY;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_PUDONG;
import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.AlertType;
import io.channelstream.events.ScanRecorded;
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
 * Bindings lagging behind the scans, as in a fast replay through the running app: the scans' stream time runs
 * far past a held scan's wait while the shipment that explains it is still on its way through the bindings'
 * repartition topic. A wait ends when the bindings reaching the task have passed the scan's time plus the wait
 * (the bindings watermark), or, when the binding feed stands still for the grace on the wall clock, by the later of
 * stream time and the wall clock.
 */
class BindingsWatermarkTest {

    private static final Duration WAIT = DiversionConfig.defaults().unknownCodeWait();
    private static final Duration GRACE = DiversionConfig.defaults().bindingIdleGrace();

    @TempDir
    Path stateDir;

    private DiversionWorld world;
    private String clockItem;
    /** No later than the driver's wall clock at its start (it starts at the system clock). */
    private Instant driverStartedBy;

    @BeforeEach
    void guangdongAndShanghaiDealers() {
        driverStartedBy = Instant.now();
        world = new DiversionWorld(DiversionConfig.defaults(), stateDir);
        world.dealer("D-GZ", Instant.parse("2026-01-01T00:00:00Z"), "44")
                .location("DL-GZ", GUANGZHOU_TIANHE, 23.125, 113.361, "D-GZ");
        world.dealer("D-SH", Instant.parse("2026-01-01T00:00:00Z"), "31")
                .location("DL-SH", SHANGHAI_PUDONG, 31.221, 121.544, "D-SH");
        world.location("WH-SOUTH", GUANGZHOU_TIANHE, 23.13, 113.26, null);
        // a code sold again and again in its own region: scans that move the scans' stream time and nothing else
        clockItem = world.itemCode();
        world.shipItems("SHP-CLOCK", "DL-GZ", "D-GZ", MONDAY.minus(Duration.ofDays(1)), world.caseCode(), clockItem);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aReceiptHeldWhileTheBindingsLagIsJudgedByTheShipmentThatArrivesLongAfterTheScansPassedTheWait() {
        String caseCode = world.caseCode();
        world.shipItems("SHP-TO-GZ", "DL-GZ", "D-GZ", MONDAY, caseCode, world.itemCode());
        Instant received = MONDAY.plus(Duration.ofDays(1));
        world.scan(receipt(caseCode, "DL-SH", SHANGHAI_PUDONG, received));

        scansReach(received.plus(WAIT).plus(Duration.ofHours(18)));
        assertThat(world.alerts()).as("the scans' stream time passed the wait, the bindings did not").isEmpty();
        assertThat(world.trail(caseCode).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.HELD);

        // the Guangzhou dealer's dispatch to Shanghai finally comes through, with more bindings behind it
        world.shipItems("SHP-GZ-TO-SH", "DL-SH", "D-SH", received.minus(Duration.ofHours(2)), caseCode);
        bindingsReach(received.plus(WAIT).plus(Duration.ofHours(1)));

        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(caseCode).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.IN_REGION);
        assertThat(world.trail(caseCode).getUnboundDeadline()).isNull();
    }

    @Test
    void aSaleOfACodeWhoseShipmentIsStillOnItsWayIsADiversionNotAnUnknownCode() {
        String item = world.itemCode();
        Instant sold = MONDAY.plus(Duration.ofHours(3));
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, sold);
        scansReach(sold.plus(WAIT).plus(Duration.ofHours(12)));
        assertThat(world.alerts()).as("no counterfeit alarm while the bindings are behind").isEmpty();

        world.shipItems("SHP-LATE", "DL-GZ", "D-GZ", MONDAY, "CASE-L", item);
        bindingsReach(sold.plus(WAIT).plus(Duration.ofHours(1)));

        assertThat(world.raised(AlertType.DIVERSION)).singleElement().satisfies(alert -> {
            assertThat(alert.getCode()).isEqualTo(item);
            assertThat(alert.getEvidence()).containsEntry("shipmentId", "SHP-LATE");
        });
        assertThat(world.alerts(AlertType.UNKNOWN_CODE)).isEmpty();
    }

    @Test
    void anUnknownCodeStillAlertsOnceTheBindingsPassItsScanTimePlusTheWait() {
        String fake = "https://qr.brand.test/01/" + DiversionWorld.GTIN + "/21/FAKE-9";
        Instant scanned = MONDAY.plus(Duration.ofHours(1));
        world.scan(fake, ScannerRole.CONSUMER, SHANGHAI_PUDONG, scanned);
        scansReach(scanned.plus(WAIT).plus(Duration.ofDays(1)));

        bindingsReach(scanned.plus(WAIT).minus(Duration.ofMinutes(5)));
        assertThat(world.alerts()).as("the bindings are still within the wait").isEmpty();

        bindingsReach(scanned.plus(WAIT).plus(Duration.ofMinutes(1)));
        bindingsReach(scanned.plus(WAIT).plus(Duration.ofHours(2)));

        assertThat(world.raised(AlertType.UNKNOWN_CODE)).singleElement().satisfies(alert -> {
            assertThat(alert.getConditionKey()).isEqualTo("UNKNOWN_CODE|" + fake);
            assertThat(alert.getEvidence()).containsEntry("sightings", "1");
        });
    }

    @Test
    void aTransfersRebindingFarAheadOfTheShipmentsDoesNotEndTheWaits() {
        // in a fast replay the small transfers feed runs days ahead of the shipments': its rebindings say nothing
        // about how far the shipments that explain held scans have got
        String fake = "https://qr.brand.test/01/" + DiversionWorld.GTIN + "/21/FAKE-14";
        Instant scanned = MONDAY.plus(Duration.ofHours(1));
        bindingsReach(MONDAY);
        world.scan(fake, ScannerRole.CONSUMER, SHANGHAI_PUDONG, scanned);
        scansReach(scanned.plus(WAIT).plus(Duration.ofDays(3)));
        Instant farAhead = scanned.plus(WAIT).plus(Duration.ofDays(2));
        world.requestTransfer("TR-AHEAD", "DL-GZ", "DL-SH", farAhead.minus(Duration.ofHours(2)));
        world.approveTransfer("TR-AHEAD", farAhead.minus(Duration.ofHours(1)));
        world.dispatchTransfer("TR-AHEAD", farAhead, clockItem);

        assertThat(world.alerts(AlertType.UNKNOWN_CODE)).as("the shipments are still within the wait").isEmpty();

        bindingsReach(scanned.plus(WAIT).plus(Duration.ofMinutes(1)));
        assertThat(world.raised(AlertType.UNKNOWN_CODE)).singleElement()
                .satisfies(alert -> assertThat(alert.getCode()).isEqualTo(fake));
    }

    @Test
    void whenTheBindingFeedStandsStillForTheGraceTheWaitEndsByStreamTime() {
        String fake = "https://qr.brand.test/01/" + DiversionWorld.GTIN + "/21/FAKE-10";
        Instant scanned = MONDAY.plus(Duration.ofHours(1));
        bindingsReach(MONDAY);
        world.scan(fake, ScannerRole.CONSUMER, SHANGHAI_PUDONG, scanned);
        scansReach(scanned.plus(WAIT).plus(Duration.ofMinutes(5)));
        assertThat(world.alerts()).isEmpty();

        world.advanceWallClock(GRACE.minus(Duration.ofMinutes(2)));
        assertThat(world.alerts()).as("the feed may just be slow: within the grace").isEmpty();

        world.advanceWallClock(Duration.ofMinutes(3));
        assertThat(world.raised(AlertType.UNKNOWN_CODE)).singleElement()
                .satisfies(alert -> assertThat(alert.getCode()).isEqualTo(fake));
    }

    @Test
    void whenTrafficStopsTheLastScansWaitsStillEndOnceTheBindingFeedHasBeenIdleForTheGrace() {
        // the end of a replayed history: nothing comes after these scans, so neither the bindings nor the scans'
        // stream time ever pass the scan's time plus the wait; the wall clock, long past it, does
        String fake = "https://qr.brand.test/01/" + DiversionWorld.GTIN + "/21/FAKE-12";
        Instant scanned = MONDAY.plus(Duration.ofHours(1));
        bindingsReach(MONDAY);
        world.scan(fake, ScannerRole.CONSUMER, SHANGHAI_PUDONG, scanned);

        world.advanceWallClock(GRACE.minus(Duration.ofMinutes(2)));
        assertThat(world.alerts()).as("the feed may just be slow: within the grace").isEmpty();

        world.advanceWallClock(Duration.ofMinutes(3));
        assertThat(world.raised(AlertType.UNKNOWN_CODE)).singleElement()
                .satisfies(alert -> assertThat(alert.getCode()).isEqualTo(fake));
    }

    @Test
    void aLiveScanWhoseWaitTheWallClockHasNotPassedKeepsWaitingThroughAnIdleFeed() {
        // live traffic is stamped with the wall clock: an idle feed ends only the waits the wall clock has passed
        Instant scanned = driverStartedBy.plus(Duration.ofMinutes(1));
        String fake = "https://qr.brand.test/01/" + DiversionWorld.GTIN + "/21/FAKE-13";
        bindingsReach(scanned.minus(Duration.ofHours(1)));
        world.scan(fake, ScannerRole.CONSUMER, SHANGHAI_PUDONG, scanned);

        world.advanceWallClock(GRACE.plus(Duration.ofMinutes(5)));
        assertThat(world.alerts()).as("idle feed, but six hours have not passed since the scan").isEmpty();

        world.advanceWallClock(WAIT);
        assertThat(world.raised(AlertType.UNKNOWN_CODE)).singleElement()
                .satisfies(alert -> assertThat(alert.getCode()).isEqualTo(fake));
    }

    @Test
    void aBindingFeedThatKeepsMovingHoweverFarBehindIsNotTakenForIdle() {
        String fake = "https://qr.brand.test/01/" + DiversionWorld.GTIN + "/21/FAKE-11";
        Instant scanned = MONDAY.plus(Duration.ofHours(1));
        world.scan(fake, ScannerRole.CONSUMER, SHANGHAI_PUDONG, scanned);
        scansReach(scanned.plus(WAIT).plus(Duration.ofDays(1)));

        for (int minute = 1; minute <= 3; minute++) {
            world.advanceWallClock(GRACE.minus(Duration.ofMinutes(1)));
            bindingsReach(MONDAY.plus(Duration.ofMinutes(minute)));
        }
        world.advanceWallClock(GRACE.minus(Duration.ofMinutes(1)));

        assertThat(world.alerts()).as("the bindings move, one step a while, still hours before the wait ends")
                .isEmpty();
    }

    @Test
    void aStoreSaleOfGoodsLastKnownInTheBrandsWarehouseWaitsForTheShipmentThatTookThemOn() {
        String item = world.itemCode();
        world.shipItems("SHP-TO-WH", "WH-SOUTH", null, MONDAY, "CASE-W", item);
        Instant sold = MONDAY.plus(Duration.ofDays(2));
        world.sale(item, SHANGHAI_PUDONG, 19_900, sold);
        assertThat(world.alerts()).as("the warehouse's own county says nothing about where its goods sell")
                .isEmpty();

        world.shipItems("SHP-WH-TO-SH", "DL-SH", "D-SH", sold.minus(Duration.ofDays(1)), "CASE-W", item);
        bindingsReach(sold.plus(WAIT).plus(Duration.ofHours(1)));

        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.IN_REGION);
    }

    @Test
    void aStoreSaleOfWarehouseGoodsThatNoShipmentExplainsIsADiversionOnceTheBindingsPassTheWait() {
        String item = world.itemCode();
        world.shipItems("SHP-TO-WH", "WH-SOUTH", null, MONDAY, "CASE-W", item);
        Instant sold = MONDAY.plus(Duration.ofDays(2));
        world.sale(item, SHANGHAI_PUDONG, 19_900, sold);

        bindingsReach(sold.plus(WAIT).plus(Duration.ofMinutes(1)));

        assertThat(world.raised(AlertType.DIVERSION)).singleElement().satisfies(alert -> {
            assertThat(alert.getCode()).isEqualTo(item);
            assertThat(alert.getEvidence()).containsEntry("boundLocationId", "WH-SOUTH")
                    .containsEntry("scannedAt", sold.toString());
        });
    }

    private static ScanRecorded receipt(String code, String locationId, String regionCode, Instant at) {
        return ScanRecorded.newBuilder(DiversionWorld.baseScan(code, ScannerRole.DEALER_RECEIPT, at))
                .setPlaceLocationId(locationId).setRegionCode(regionCode).build();
    }

    /** Scans alone move the task's stream time: an in-region sale of a code bound long ago. */
    private void scansReach(Instant at) {
        world.scan(clockItem, ScannerRole.STORE_SALE, GUANGZHOU_TIANHE, at);
    }

    /** A shipment of another code: the bindings reaching the task have got as far as {@code at}. */
    private void bindingsReach(Instant at) {
        world.shipItems("SHP-FEED-" + at.toEpochMilli(), "DL-GZ", "D-GZ", at, world.caseCode(), world.itemCode());
    }
}
