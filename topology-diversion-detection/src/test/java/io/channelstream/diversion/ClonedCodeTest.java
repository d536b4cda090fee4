package io.channelstream.diversion;

import static io.channelstream.diversion.DiversionWorld.BEIJING_CHAOYANG;
import static io.channelstream.diversion.DiversionWorld.GUANGZHOU_TIANHE;
import static io.channelstream.diversion.DiversionWorld.MONDAY;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_PUDONG;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_XUHUI;
import static io.channelstream.diversion.DiversionWorld.SHENZHEN_NANSHAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.AlertType;
import io.channelstream.events.ScannerRole;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One serial, two places, too little time between them to travel: one of them is a copy. */
class ClonedCodeTest {

    @TempDir
    Path stateDir;

    private DiversionWorld world;
    private String item;

    @BeforeEach
    void anItemSoldInGuangdong() {
        world = new DiversionWorld(DiversionConfig.defaults(), stateDir);
        world.dealer("D-GZ", Instant.parse("2026-01-01T00:00:00Z"), "44")
                .location("DL-GZ", GUANGZHOU_TIANHE, 23.125, 113.361, "D-GZ");
        item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void theSameCodeScannedInGuangzhouAndBeijingWithinAnHourIsAClone() {
        Instant noon = MONDAY.plus(Duration.ofDays(1));
        world.scanAt(item, ScannerRole.CONSUMER, GUANGZHOU_TIANHE, 23.13, 113.33, noon);
        world.scanAt(item, ScannerRole.CONSUMER, BEIJING_CHAOYANG, 39.92, 116.44, noon.plus(Duration.ofMinutes(50)));
        world.scanAt(item, ScannerRole.CONSUMER, BEIJING_CHAOYANG, 39.92, 116.44, noon.plus(Duration.ofMinutes(55)));

        assertThat(world.raised(AlertType.CLONED_CODE)).singleElement().satisfies(alert -> {
            assertThat(alert.getConditionKey()).isEqualTo("CLONED_CODE|" + item);
            assertThat(alert.getDealerId()).isEqualTo("D-GZ");
            assertThat(alert.getEvidence())
                    .containsEntry("firstRegionCode", GUANGZHOU_TIANHE)
                    .containsEntry("secondRegionCode", BEIJING_CHAOYANG)
                    .containsEntry("elapsedMinutes", "50")
                    .containsEntry("maxSpeedKmh", "900.0");
            assertThat(Double.parseDouble(alert.getEvidence().get("distanceKm"))).isBetween(1850.0, 1950.0);
        });
    }

    @Test
    void aLateArrivingEarlierSightingIsComparedToo() {
        Instant noon = MONDAY.plus(Duration.ofDays(1));
        world.scanAt(item, ScannerRole.CONSUMER, BEIJING_CHAOYANG, 39.92, 116.44, noon);
        // uploaded later, happened ten minutes before
        world.scanAt(item, ScannerRole.STORE_SALE, GUANGZHOU_TIANHE, 23.13, 113.33, noon.minus(Duration.ofMinutes(10)));

        assertThat(world.raised(AlertType.CLONED_CODE)).singleElement().satisfies(alert ->
                assertThat(alert.getEvidence()).containsEntry("firstRegionCode", GUANGZHOU_TIANHE)
                        .containsEntry("elapsedMinutes", "10"));
    }

    @Test
    void goodsTravellingByRoadAreNotAClone() {
        Instant morning = MONDAY.plus(Duration.ofDays(1));
        world.scanAt(item, ScannerRole.DEALER_RECEIPT, GUANGZHOU_TIANHE, 23.13, 113.33, morning);
        // Guangzhou to Shenzhen, about 105 km, in two hours
        world.scanAt(item, ScannerRole.STORE_SALE, SHENZHEN_NANSHAN, 22.53, 113.93, morning.plus(Duration.ofHours(2)));

        assertThat(world.alerts()).isEmpty();
    }

    @Test
    void twoScansPlacedOnlyByTheirRegionInOneProvinceAreNeverAClone() {
        Instant noon = MONDAY.plus(Duration.ofDays(1));
        // no coordinates: both sit at Shanghai's capital, give or take the province's size
        world.scan(item, ScannerRole.CONSUMER, SHANGHAI_PUDONG, noon);
        world.scan(item, ScannerRole.CONSUMER, SHANGHAI_XUHUI, noon.plusSeconds(30));

        assertThat(world.raised(AlertType.CLONED_CODE)).isEmpty();
    }

    @Test
    void scansPlacedOnlyByRegionFarEnoughApartAreStillAClone() {
        Instant noon = MONDAY.plus(Duration.ofDays(1));
        // Guangzhou to Beijing is ~1,890 km between capitals; even less 2 x 300 km of uncertainty it is a flight
        world.scan(item, ScannerRole.CONSUMER, GUANGZHOU_TIANHE, noon);
        world.scan(item, ScannerRole.CONSUMER, BEIJING_CHAOYANG, noon.plus(Duration.ofMinutes(30)));

        assertThat(world.raised(AlertType.CLONED_CODE)).hasSize(1);
    }
}
