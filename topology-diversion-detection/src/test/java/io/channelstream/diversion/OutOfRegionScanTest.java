package io.channelstream.diversion;

import static io.channelstream.diversion.DiversionWorld.GUANGZHOU_TIANHE;
import static io.channelstream.diversion.DiversionWorld.HANGZHOU_XIHU;
import static io.channelstream.diversion.DiversionWorld.MONDAY;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_PUDONG;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_XUHUI;
import static io.channelstream.diversion.DiversionWorld.SHENZHEN_NANSHAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.events.CodeLevel;
import io.channelstream.events.RegionAuthorization;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.Severity;
import io.channelstream.events.SightingVerdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goods shipped to the Guangdong dealer (authorized for province 44) and scanned: where the scan counts
 * as diversion, and the look-alikes that must not.
 */
class OutOfRegionScanTest {

    private static final Instant JANUARY = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private DiversionWorld world;

    @BeforeEach
    void guangdongAndShanghaiDealers() {
        world = new DiversionWorld(DiversionConfig.defaults(), stateDir);
        world.dealer("D-GZ", JANUARY, "44")
                .location("DL-GZ", GUANGZHOU_TIANHE, 23.125, 113.361, "D-GZ")
                .dealer("D-SH", JANUARY, "31")
                .location("DL-SH", SHANGHAI_PUDONG, 31.221, 121.544, "D-SH");
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aStoreSaleOutsideTheBoundRegionRaisesADiversionAlertNamingTheEvidence() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(3)));

        List<Alert> diversions = world.raised(AlertType.DIVERSION);
        assertThat(diversions).hasSize(1);
        Alert alert = diversions.get(0);
        assertThat(alert.getConditionKey()).isEqualTo("DIVERSION|" + item);
        assertThat(alert.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.getRegionCode()).isEqualTo("44"); // the source dealer's region is told
        assertThat(alert.getCode()).isEqualTo(item);
        assertThat(alert.getDealerId()).isEqualTo("D-GZ");
        assertThat(alert.getBatch()).isEqualTo("B2026-01");
        assertThat(alert.getEvidence())
                .containsEntry("shipmentId", "SHP-1")
                .containsEntry("sourceDealerId", "D-GZ")
                .containsEntry("expectedRegionCodes", "44")
                .containsEntry("scannedRegionCode", SHANGHAI_PUDONG)
                .containsEntry("scannerRole", "STORE_SALE")
                .containsEntry("evidenceStrength", "STRONG")
                .containsEntry("batch", "B2026-01");
        // Guangzhou Tianhe depot to Shanghai's capital position: about 1,200 km
        assertThat(Double.parseDouble(alert.getEvidence().get("distanceKm"))).isBetween(1100.0, 1300.0);
        assertThat(alert.getSummary()).contains(item).contains("D-GZ").contains("STORE_SALE");
    }

    @Test
    void aScanInACountyInsideTheAuthorizedProvinceIsInRegion() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        // Shenzhen Nanshan lies in province 44, so a sale there is the dealer's own market
        world.scan(item, ScannerRole.STORE_SALE, SHENZHEN_NANSHAN, MONDAY.plus(Duration.ofDays(2)));
        world.scan(item, ScannerRole.DEALER_RECEIPT, "44", MONDAY.plus(Duration.ofDays(2)));

        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsExactly(SightingVerdict.IN_REGION, SightingVerdict.IN_REGION);
    }

    @Test
    void theSameCodeDivertedTwiceIsOneAlert() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        world.scan(item, ScannerRole.DEALER_RECEIPT, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(2)));
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(3)));

        assertThat(world.raised(AlertType.DIVERSION)).hasSize(1);
    }

    @Test
    void aLoneTravellingConsumerScanningOneCodeRaisesNothing() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        // a family on holiday in Shanghai scans the formula they brought, twice
        world.scan(item, ScannerRole.CONSUMER, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(5)));
        world.scan(item, ScannerRole.CONSUMER, SHANGHAI_XUHUI, MONDAY.plus(Duration.ofDays(5)).plusSeconds(600));

        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(item).getSightings()).extracting(s -> s.getVerdict())
                .containsOnly(SightingVerdict.OUT_OF_REGION);
    }

    @Test
    void consumerScansOfSeveralCodesOfOneDealerInOneForeignCityRaiseOneClusterAlert() {
        String first = world.itemCode();
        String second = world.itemCode();
        String third = world.itemCode();
        String fourth = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", first, second, third, fourth);

        Instant later = MONDAY.plus(Duration.ofDays(4));
        world.scan(first, ScannerRole.CONSUMER, SHANGHAI_PUDONG, later);
        world.scan(second, ScannerRole.CONSUMER, SHANGHAI_XUHUI, later.plus(Duration.ofHours(20)));
        assertThat(world.alerts()).as("two codes are not yet a pattern").isEmpty();

        world.scan(third, ScannerRole.CONSUMER, SHANGHAI_PUDONG, later.plus(Duration.ofHours(40)));
        world.scan(fourth, ScannerRole.CONSUMER, SHANGHAI_PUDONG, later.plus(Duration.ofHours(41)));

        List<Alert> clusters = world.raised(AlertType.CONSUMER_DIVERSION_CLUSTER);
        assertThat(clusters).hasSize(1);
        Alert cluster = clusters.get(0);
        assertThat(cluster.getDealerId()).isEqualTo("D-GZ");
        assertThat(cluster.getRegionCode()).isEqualTo("44");
        assertThat(cluster.getEvidence())
                .containsEntry("areaCode", "3101")
                .containsEntry("distinctCodes", "3")
                .containsEntry("shipmentIds", "SHP-1")
                .containsEntry("expectedRegionCodes", "44");
        assertThat(cluster.getConditionKey()).startsWith("CONSUMER_DIVERSION_CLUSTER|D-GZ|3101|");
        // every code of the raised cluster, and the fourth after it, is a confirmed diversion of the dealer;
        // the 24-hour score counts the last three (the first is older than that), the case all four
        assertThat(DealerScoreSnapshot.of(world.score("D-GZ"), later.plus(Duration.ofHours(41)),
                DiversionConfig.defaults()).windowDiversions()).isEqualTo(3);
        assertThat(DealerScoreSnapshot.of(world.score("D-GZ"), later.plus(Duration.ofHours(41)),
                DiversionConfig.defaults()).openCases()).singleElement()
                .satisfies(openCase -> assertThat(openCase.diversions()).isEqualTo(4));
    }

    @Test
    void consumerScansInDifferentCitiesOrFurtherApartThanTheWindowDoNotCluster() {
        String first = world.itemCode();
        String second = world.itemCode();
        String third = world.itemCode();
        String fourth = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", first, second, third, fourth);

        Instant later = MONDAY.plus(Duration.ofDays(4));
        world.scan(first, ScannerRole.CONSUMER, SHANGHAI_PUDONG, later);
        world.scan(second, ScannerRole.CONSUMER, HANGZHOU_XIHU, later.plus(Duration.ofHours(1)));
        // 80 hours after the first: the first has left the 72-hour window
        world.scan(third, ScannerRole.CONSUMER, SHANGHAI_XUHUI, later.plus(Duration.ofHours(80)));
        world.scan(fourth, ScannerRole.CONSUMER, HANGZHOU_XIHU, later.plus(Duration.ofHours(90)));

        assertThat(world.alerts()).isEmpty();
    }

    @Test
    void anApprovedTransferRebindsTheCaseAndTheItemsInsideItSoTheReceiverSellsThemInRegion() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-7", item);

        Instant day2 = MONDAY.plus(Duration.ofDays(2));
        world.requestTransfer("TR-1", "DL-GZ", "DL-SH", day2);
        world.approveTransfer("TR-1", day2.plusSeconds(600));
        // only the case is listed: the items packed in it move with it
        world.dispatchTransfer("TR-1", day2.plusSeconds(3600), "CASE-7");

        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(4)));
        world.scan("CASE-7", ScannerRole.DEALER_RECEIPT, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(3)));

        assertThat(world.alerts()).isEmpty();
        assertThat(world.trail(item).getBindings()).extracting(b -> b.getDealerId()).containsExactly("D-GZ", "D-SH");
        assertThat(world.trail(item).getBindings().get(1).getInheritedFrom()).isEqualTo("CASE-7");
        assertThat(world.trail(item).getBindings().get(1).getBatch()).isEqualTo("B2026-01");
    }

    @Test
    void goodsMovedUnderARejectedTransferAreStillDivertedWhenSoldAtTheDestination() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-7", item);

        Instant day2 = MONDAY.plus(Duration.ofDays(2));
        world.requestTransfer("TR-2", "DL-GZ", "DL-SH", day2);
        world.rejectTransfer("TR-2", day2.plusSeconds(600));
        world.dispatchTransfer("TR-2", day2.plusSeconds(3600), "CASE-7", item);
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(4)));

        assertThat(world.raised(AlertType.DIVERSION)).singleElement()
                .satisfies(alert -> assertThat(alert.getDealerId()).isEqualTo("D-GZ"));
    }

    @Test
    void aTransferDispatchedBeforeItsApprovalRebindsOnceApproved() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-7", item);

        Instant day2 = MONDAY.plus(Duration.ofDays(2));
        world.requestTransfer("TR-3", "DL-GZ", "DL-SH", day2);
        world.dispatchTransfer("TR-3", day2.plusSeconds(600), item);
        world.approveTransfer("TR-3", day2.plusSeconds(900));
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(4)));

        assertThat(world.alerts()).isEmpty();
    }

    @Test
    void aRegionChangeAppliesFromItsEffectiveTimeAndNotBackwards() {
        Instant june = Instant.parse("2026-06-01T00:00:00Z");
        // announced in May: from June the dealer serves Shanghai instead of Guangdong
        world.dealer("D-MOVE", null, june, List.of("31"), List.of(
                RegionAuthorization.newBuilder().setRegionCodes(List.of("44")).setEffectiveFrom(JANUARY).build(),
                RegionAuthorization.newBuilder().setRegionCodes(List.of("31")).setEffectiveFrom(june).build()));
        String soldInMay = world.itemCode();
        String soldInShanghaiInMay = world.itemCode();
        String soldInJune = world.itemCode();
        Instant may = Instant.parse("2026-05-10T08:00:00Z");
        world.shipItems("SHP-M", "DL-GZ", "D-MOVE", may, "CASE-M", soldInMay, soldInShanghaiInMay, soldInJune);

        world.scan(soldInMay, ScannerRole.STORE_SALE, GUANGZHOU_TIANHE, may.plus(Duration.ofDays(5)));
        world.scan(soldInShanghaiInMay, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, may.plus(Duration.ofDays(6)));
        world.scan(soldInJune, ScannerRole.STORE_SALE, GUANGZHOU_TIANHE, june.plus(Duration.ofDays(1)));

        assertThat(world.raised(AlertType.DIVERSION)).extracting(Alert::getCode)
                .containsExactlyInAnyOrder(soldInShanghaiInMay, soldInJune);
    }

    @Test
    void everyCodeOfAPalletIsBoundWithItsShipmentAndBatch() {
        String pallet = world.palletCode();
        String item = world.itemCode();
        world.ship("SHP-P", "DL-GZ", "D-GZ", MONDAY, List.of(DiversionWorld.palletOf(pallet,
                DiversionWorld.caseOf("CASE-P1", "SKU-FORMULA-900G", "B2026-01", item, world.itemCode()),
                DiversionWorld.caseOf("CASE-P2", "SKU-FORMULA-900G", "B2026-01", world.itemCode()))));

        assertThat(world.trail(pallet).getBindings()).singleElement().satisfies(binding -> {
            assertThat(binding.getLevel()).isEqualTo(CodeLevel.PALLET);
            assertThat(binding.getUnits()).isEqualTo(3);
            assertThat(binding.getContents()).hasSize(5);
        });
        assertThat(world.trail("CASE-P1").getBindings().get(0).getParentCode()).isEqualTo(pallet);
        assertThat(world.trail(item).getBindings()).singleElement().satisfies(binding -> {
            assertThat(binding.getShipmentId()).isEqualTo("SHP-P");
            assertThat(binding.getParentCode()).isEqualTo("CASE-P1");
            assertThat(binding.getDealerId()).isEqualTo("D-GZ");
            assertThat(binding.getBoundRegionCodes()).containsExactly("44");
        });

        world.scan(pallet, ScannerRole.WAREHOUSE, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(1)));
        assertThat(world.raised(AlertType.DIVERSION)).singleElement()
                .satisfies(alert -> assertThat(alert.getEvidence()).containsEntry("units", "3"));
    }

    @Test
    void aScanKeyedByAnythingButItsCodeIsStillJudgedWithItsCode() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        world.pipe(io.channelstream.schemas.Topics.SCANS, "some-partner-key",
                io.channelstream.events.ScanRecorded.newBuilder(
                                DiversionWorld.baseScan(item, ScannerRole.STORE_SALE, MONDAY.plus(Duration.ofDays(1))))
                        .setRegionCode(SHANGHAI_PUDONG).build(),
                MONDAY.plus(Duration.ofDays(1)));

        assertThat(world.raised(AlertType.DIVERSION)).extracting(Alert::getCode).containsExactly(item);
    }
}
