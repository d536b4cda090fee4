package io.channelstream.diversion;

import static io.channelstream.diversion.DiversionWorld.GUANGZHOU_TIANHE;
import static io.channelstream.diversion.DiversionWorld.HANGZHOU_XIHU;
import static io.channelstream.diversion.DiversionWorld.MONDAY;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_PUDONG;
import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.events.ScannerRole;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dealer whose goods keep turning up elsewhere: its windowed score rises, its open cases name the
 * foreign areas, and past the threshold the managers of the source and of each destination are told.
 */
class DealerScoreTest {

    private static final DiversionConfig CONFIG = DiversionConfig.defaults();

    @TempDir
    Path stateDir;

    private DiversionWorld world;

    @BeforeEach
    void guangdongDealerManagedFromGuangzhou() {
        world = new DiversionWorld(CONFIG, stateDir);
        world.dealer("D-GZ", "4401", Instant.parse("2026-01-01T00:00:00Z"), List.of("44"), List.of())
                .location("DL-GZ", GUANGZHOU_TIANHE, 23.125, 113.361, "D-GZ");
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void threeConfirmedDiversionsInADayEscalateToTheSourceAndTheDestinationManagers() {
        List<String> items = List.of(world.itemCode(), world.itemCode(), world.itemCode(), world.itemCode());
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", items.toArray(String[]::new));
        Instant day = MONDAY.plus(Duration.ofDays(2));

        world.scan(items.get(0), ScannerRole.STORE_SALE, SHANGHAI_PUDONG, day);
        world.scan(items.get(1), ScannerRole.STORE_SALE, SHANGHAI_PUDONG, day.plus(Duration.ofHours(3)));
        assertThat(world.raised(AlertType.DEALER_ESCALATION)).isEmpty();
        world.scan(items.get(2), ScannerRole.DEALER_RECEIPT, SHANGHAI_PUDONG, day.plus(Duration.ofHours(5)));

        List<Alert> escalations = world.raised(AlertType.DEALER_ESCALATION);
        assertThat(escalations).extracting(Alert::getRegionCode).containsExactly("4401", "3101");
        assertThat(escalations).allSatisfy(alert -> {
            assertThat(alert.getDealerId()).isEqualTo("D-GZ");
            assertThat(alert.getEvidence())
                    .containsEntry("sourceRegionCode", "4401")
                    .containsEntry("destinationRegionCodes", "3101")
                    .containsEntry("windowDiversions", "3")
                    .containsEntry("windowUnits", "3");
        });
        assertThat(escalations.get(0).getEvidence()).containsEntry("notifiedAs", "SOURCE");
        assertThat(escalations.get(1).getEvidence()).containsEntry("notifiedAs", "DESTINATION");

        // a new destination within the same episode is told too; the ones told already are not told again
        world.scan(items.get(3), ScannerRole.STORE_SALE, HANGZHOU_XIHU, day.plus(Duration.ofHours(6)));
        assertThat(world.raised(AlertType.DEALER_ESCALATION)).extracting(Alert::getRegionCode)
                .containsExactly("4401", "3101", "3301");

        DealerScoreSnapshot score = DealerScoreSnapshot.of(world.score("D-GZ"), day.plus(Duration.ofHours(6)), CONFIG);
        assertThat(score.windowDiversions()).isEqualTo(4);
        assertThat(score.escalated()).isTrue();
        assertThat(score.openCases()).extracting(DealerScoreSnapshot.OpenCase::areaCode)
                .containsExactly("3301", "3101");
        assertThat(score.openCases().get(1).diversions()).isEqualTo(3);
        assertThat(score.openCases().get(1).shipmentIds()).containsExactly("SHP-1");
    }

    @Test
    void theScoreFallsAsDiversionsLeaveTheWindowWhileTheCaseStaysOpen() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);
        Instant sold = MONDAY.plus(Duration.ofDays(1));
        world.scan(item, ScannerRole.STORE_SALE, SHANGHAI_PUDONG, sold);

        DealerScoreSnapshot sameDay = DealerScoreSnapshot.of(world.score("D-GZ"), sold.plus(Duration.ofHours(2)), CONFIG);
        DealerScoreSnapshot aWeekLater = DealerScoreSnapshot.of(world.score("D-GZ"), sold.plus(Duration.ofDays(7)), CONFIG);

        assertThat(sameDay.windowDiversions()).isEqualTo(1);
        assertThat(aWeekLater.windowDiversions()).isZero();
        assertThat(aWeekLater.openCases()).extracting(DealerScoreSnapshot.OpenCase::areaCode).containsExactly("3101");
        assertThat(aWeekLater.escalated()).isFalse();
    }

    @Test
    void aDivertedPalletEscalatesOnUnitsAlone() {
        String pallet = world.palletCode();
        String[] items = new String[120];
        for (int i = 0; i < items.length; i++) {
            items[i] = world.itemCode();
        }
        world.ship("SHP-P", "DL-GZ", "D-GZ", MONDAY, List.of(DiversionWorld.palletOf(pallet,
                DiversionWorld.caseOf("CASE-BIG", "SKU-FORMULA-900G", "B2026-01", items))));

        world.scan(pallet, ScannerRole.DEALER_RECEIPT, SHANGHAI_PUDONG, MONDAY.plus(Duration.ofDays(1)));

        assertThat(world.raised(AlertType.DEALER_ESCALATION)).extracting(alert -> alert.getEvidence().get("windowUnits"))
                .containsOnly("120");
    }
}
