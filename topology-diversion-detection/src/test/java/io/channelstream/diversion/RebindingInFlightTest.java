package io.channelstream.diversion;

import static io.channelstream.diversion.DiversionWorld.GUANGZHOU_TIANHE;
import static io.channelstream.diversion.DiversionWorld.MONDAY;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_PUDONG;
import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.AlertType;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.SightingVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sale and the binding that explains it racing through the running app: the transfer was approved and dispatched
 * before the sale, and published before it, but its rebinding travels through the bindings' repartition topic (one
 * transaction later) while the sale reaches the judge directly. Facts here arrive within moments of each other on
 * the wall clock; an out-of-region verdict settles for {@code outOfRegionSettle} before it is given.
 */
class RebindingInFlightTest {

    private static final Instant JANUARY = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration SETTLE = DiversionConfig.defaults().outOfRegionSettle();

    @TempDir
    Path stateDir;

    private DiversionWorld world;

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aSaleAtTheDestinationOfAnApprovedTransferWhoseRebindingLandsWithinTheSettleIsNoDiversion() {
        world = guangdongAndShanghai(DiversionConfig.defaults());
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-7", item);
        world.factsArriveTogether();

        Instant dispatched = MONDAY.plus(Duration.ofDays(2));
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, dispatched.plus(Duration.ofDays(1)));
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .as("no verdict yet").containsExactly(SightingVerdict.HELD);
        // the transfer's rebinding lands a moment after the sale
        approvedTransfer("TR-1", dispatched, "CASE-7", item);
        world.advanceWallClock(SETTLE.multipliedBy(2));

        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.IN_REGION);
        assertThat(world.trail(item).getUnboundDeadline()).as("nothing left waiting").isNull();
    }

    @Test
    void aDivertedSaleIsRaisedOnceTheSettleIsOverAndNotBefore() {
        world = guangdongAndShanghai(DiversionConfig.defaults());
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);
        world.factsArriveTogether();

        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(3)));
        world.advanceWallClock(SETTLE.dividedBy(2));
        assertThat(world.alerts()).as("still settling").isEmpty();

        world.advanceWallClock(SETTLE);
        assertThat(world.raised(AlertType.DIVERSION)).singleElement().satisfies(alert -> {
            assertThat(alert.getCode()).isEqualTo(item);
            assertThat(alert.getEvidence()).containsEntry("shipmentId", "SHP-1")
                    .containsEntry("scannedRegionCode", SHANGHAI_PUDONG);
        });
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.OUT_OF_REGION);
        assertThat(world.trail(item).getUnboundDeadline()).isNull();
    }

    @Test
    void anInRegionSaleIsJudgedAtOnceWithoutSettling() {
        world = guangdongAndShanghai(DiversionConfig.defaults());
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);
        world.factsArriveTogether();

        world.scan(item, ScannerRole.STORE_SALE, GUANGZHOU_TIANHE, MONDAY.plus(Duration.ofDays(3)));

        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.IN_REGION);
    }

    @Test
    void aConsumerScanOutOfRegionSettlesTooBeforeItCountsTowardsACluster() {
        world = guangdongAndShanghai(DiversionConfig.defaults().withConsumerCluster(1, Duration.ofHours(72)));
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);
        world.factsArriveTogether();
        Instant dispatched = MONDAY.plus(Duration.ofDays(1));

        world.scan(item, ScannerRole.CONSUMER, SHANGHAI_PUDONG, dispatched.plus(Duration.ofDays(1)));
        approvedTransfer("TR-2", dispatched, "CASE-1", item);
        world.advanceWallClock(SETTLE.multipliedBy(2));

        assertThat(world.alerts()).as("counted for the dealer it was moved to, in its own region: nothing").isEmpty();
    }

    @Test
    void withoutASettleTheSameRaceRaisesAFalseDiversion() {
        // the cause of the unlabelled DIVERSION alerts in the first score against the running app
        world = guangdongAndShanghai(DiversionConfig.defaults().withOutOfRegionSettle(Duration.ZERO));
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-7", item);
        world.factsArriveTogether();

        Instant dispatched = MONDAY.plus(Duration.ofDays(2));
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, dispatched.plus(Duration.ofDays(1)));
        approvedTransfer("TR-1", dispatched, "CASE-7", item);

        assertThat(world.raised(AlertType.DIVERSION)).singleElement()
                .satisfies(alert -> assertThat(alert.getCode()).isEqualTo(item));
    }

    private DiversionWorld guangdongAndShanghai(DiversionConfig config) {
        DiversionWorld shops = new DiversionWorld(config, stateDir);
        shops.dealer("D-GZ", JANUARY, "44")
                .location("DL-GZ", GUANGZHOU_TIANHE, 23.125, 113.361, "D-GZ")
                .dealer("D-SH", JANUARY, "31")
                .location("DL-SH", SHANGHAI_PUDONG, 31.221, 121.544, "D-SH");
        return shops;
    }

    /** Requested, approved and dispatched from Guangzhou to Shanghai, all published at once (as the simulator does). */
    private void approvedTransfer(String transferId, Instant dispatchedAt, String... codes) {
        world.requestTransfer(transferId, "DL-GZ", "DL-SH", dispatchedAt.minus(Duration.ofHours(3)));
        world.approveTransfer(transferId, dispatchedAt.minus(Duration.ofHours(2)));
        world.dispatchTransfer(transferId, dispatchedAt, codes);
    }
}
