package io.channelstream.inventory;

import static io.channelstream.inventory.InventoryWorld.line;
import static io.channelstream.inventory.InventoryWorld.shipped;
import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderReservation;
import io.channelstream.events.ProductCategory;
import io.channelstream.events.ReservationLine;
import io.channelstream.events.ReservationStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reservations, releases, shipments, recalls and stock alerts, as a dealer's depot lives them. */
class StockRulesTest {

    private static final Instant NOV_16 = Instant.parse("2026-11-16T02:00:00Z"); // 10:00 in Shanghai
    private static final LocalDate EARLY = LocalDate.parse("2027-03-01");
    private static final LocalDate LATE = LocalDate.parse("2027-09-01");

    @TempDir
    Path stateDir;

    private InventoryWorld world;

    @BeforeEach
    void depotWithTwoBatches() {
        world = new InventoryWorld(stateDir, NOV_16);
        world.location("DL-1", "440106", null);
        world.receive("DL-1", "FORMULA", "B-LATE", 50, LATE, NOV_16);
        world.receive("DL-1", "FORMULA", "B-EARLY", 30, EARLY, NOV_16);
        world.positions.readRecordsToList();
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void anOrderIsHeldFirstExpiryFirstOut() {
        world.placeOrder("O-1", "DL-1", NOV_16.plusSeconds(60), line("FORMULA", 40));

        OrderReservation outcome = world.reservations.readValue();
        assertThat(outcome.getStatus()).isEqualTo(ReservationStatus.RESERVED);
        assertThat(outcome.getLines()).extracting(ReservationLine::getBatch, ReservationLine::getQuantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("B-EARLY", 30),
                        org.assertj.core.groups.Tuple.tuple("B-LATE", 10));
        assertThat(world.position("DL-1", "FORMULA", "B-EARLY").getAvailable()).isZero();
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getReserved()).isEqualTo(10);
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getAvailable()).isEqualTo(40);
    }

    @Test
    void anOrderThatCannotBeHeldIsRejectedWithItsShortfallAndHoldsNothing() {
        world.placeOrder("O-1", "DL-1", NOV_16.plusSeconds(60), line("FORMULA", 70), line("WIPES", 5));
        world.placeOrder("O-2", "DL-1", NOV_16.plusSeconds(120), line("FORMULA", 81));

        OrderReservation first = world.reservations.readValue();
        assertThat(first.getStatus()).isEqualTo(ReservationStatus.REJECTED);
        assertThat(first.getLines()).extracting(ReservationLine::getSku, ReservationLine::getShortfall)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("WIPES", 5));
        OrderReservation second = world.reservations.readValue();
        assertThat(second.getStatus()).isEqualTo(ReservationStatus.REJECTED);
        assertThat(second.getLines().get(0).getShortfall()).isEqualTo(1);
        assertThat(world.position("DL-1", "FORMULA", "B-EARLY").getReserved()).isZero();
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getReserved()).isZero();
    }

    @Test
    void availableNeverGoesBelowZeroByReservation() {
        world.placeOrder("O-1", "DL-1", NOV_16.plusSeconds(60), line("FORMULA", 60));
        world.placeOrder("O-2", "DL-1", NOV_16.plusSeconds(61), line("FORMULA", 30));

        List<OrderReservation> outcomes = world.reservations.readValuesToList();
        assertThat(outcomes).extracting(OrderReservation::getStatus)
                .containsExactly(ReservationStatus.RESERVED, ReservationStatus.REJECTED);
        assertThat(outcomes.get(1).getLines().get(0).getShortfall()).isEqualTo(10);
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getAvailable()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void aCancelledOrderReleasesItsStock() {
        world.placeOrder("O-1", "DL-1", NOV_16.plusSeconds(60), line("FORMULA", 40));
        world.cancelOrder("O-1", NOV_16.plusSeconds(120));

        assertThat(world.reservations.readValuesToList()).extracting(OrderReservation::getStatus)
                .containsExactly(ReservationStatus.RESERVED, ReservationStatus.RELEASED);
        assertThat(world.position("DL-1", "FORMULA", "B-EARLY").getAvailable()).isEqualTo(30);
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getAvailable()).isEqualTo(50);
    }

    @Test
    void aShipmentConsumesTheReservationAndTheStock() {
        world.placeOrder("O-1", "DL-1", NOV_16.plusSeconds(60), line("FORMULA", 40));
        world.ship("S-1", "O-1", "DL-1", NOV_16.plusSeconds(3600),
                shipped("FORMULA", "B-EARLY", 30), shipped("FORMULA", "B-LATE", 10));

        assertThat(world.reservations.readValuesToList()).extracting(OrderReservation::getStatus)
                .containsExactly(ReservationStatus.RESERVED, ReservationStatus.CONSUMED);
        assertThat(world.position("DL-1", "FORMULA", "B-EARLY").getOnHand()).isZero();
        assertThat(world.position("DL-1", "FORMULA", "B-EARLY").getReserved()).isZero();
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getOnHand()).isEqualTo(40);
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getReserved()).isZero();
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getAvailable()).isEqualTo(40);
    }

    @Test
    void aShipmentThatArrivesBeforeItsOrderLeavesNothingHeldWhenTheOrderComes() {
        // orders and shipments reach the location through separate repartitioned inputs: this order is possible
        world.ship("S-1", "O-1", "DL-1", NOV_16.plusSeconds(3600), shipped("FORMULA", "B-EARLY", 30));
        world.placeOrder("O-1", "DL-1", NOV_16.plusSeconds(60), line("FORMULA", 30));

        OrderReservation outcome = world.reservations.readValue();
        assertThat(outcome.getStatus()).isEqualTo(ReservationStatus.CONSUMED);
        assertThat(outcome.getDealerId()).isEqualTo("D-1");
        assertThat(world.reservations.isEmpty()).isTrue();
        assertThat(world.position("DL-1", "FORMULA", "B-EARLY").getOnHand()).isZero();
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getReserved()).as("nothing held for shipped goods")
                .isZero();
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getAvailable()).isEqualTo(50);
    }

    @Test
    void aReplayedPlacementOfAShippedOrderHoldsNothing() {
        world.placeOrder("O-1", "DL-1", NOV_16.plusSeconds(60), line("FORMULA", 40));
        world.ship("S-1", "O-1", "DL-1", NOV_16.plusSeconds(3600),
                shipped("FORMULA", "B-EARLY", 30), shipped("FORMULA", "B-LATE", 10));
        world.reservations.readValuesToList();

        world.placeOrder("O-1", "DL-1", NOV_16.plusSeconds(60), line("FORMULA", 40));

        assertThat(world.reservations.isEmpty()).isTrue();
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getReserved()).isZero();
        assertThat(world.position("DL-1", "FORMULA", "B-LATE").getAvailable()).isEqualTo(40);
    }

    @Test
    void aRecalledBatchIsNotAllocatedUntilReleased() {
        world.lock("FORMULA", "B-EARLY", NOV_16.plusSeconds(10));
        world.placeOrder("O-1", "DL-1", NOV_16.plusSeconds(60), line("FORMULA", 40));

        OrderReservation held = world.reservations.readValue();
        assertThat(held.getLines()).extracting(ReservationLine::getBatch).containsOnly("B-LATE");

        world.placeOrder("O-2", "DL-1", NOV_16.plusSeconds(70), line("FORMULA", 20));
        assertThat(world.reservations.readValue().getStatus()).isEqualTo(ReservationStatus.REJECTED);

        world.release("FORMULA", "B-EARLY", NOV_16.plusSeconds(80));
        world.placeOrder("O-3", "DL-1", NOV_16.plusSeconds(90), line("FORMULA", 20));
        OrderReservation afterRelease = world.reservations.readValue();
        assertThat(afterRelease.getStatus()).isEqualTo(ReservationStatus.RESERVED);
        assertThat(afterRelease.getLines()).extracting(ReservationLine::getBatch).containsOnly("B-EARLY");
    }

    @Test
    void aSaleFromARecalledBatchIsDeadLetteredNotApplied() {
        world.lock("FORMULA", "B-EARLY", NOV_16.plusSeconds(10));
        world.move("DL-1", "FORMULA", "B-EARLY", MovementKind.SALE, 2, null, NOV_16.plusSeconds(20));

        assertThat(world.position("DL-1", "FORMULA", "B-EARLY").getOnHand()).isEqualTo(30);
    }

    @Test
    void belowSafetyStockIsRaisedOnceAndClearedOnce() {
        world.location("DL-1", "440106", 60); // 80 on hand: fine
        world.move("DL-1", "FORMULA", "B-LATE", MovementKind.SALE, 15, null, NOV_16.plusSeconds(60)); // 65
        world.move("DL-1", "FORMULA", "B-LATE", MovementKind.SALE, 10, null, NOV_16.plusSeconds(120)); // 55: raise
        world.move("DL-1", "FORMULA", "B-LATE", MovementKind.SALE, 5, null, NOV_16.plusSeconds(180)); // 50: still
        world.receive("DL-1", "FORMULA", "B-NEW", 20, LATE, NOV_16.plusSeconds(240)); // 70: clear

        List<Alert> raisedAndCleared = world.alerts.readValuesToList().stream()
                .filter(alert -> alert.getAlertType() == AlertType.BELOW_SAFETY_STOCK).toList();
        assertThat(raisedAndCleared).extracting(Alert::getStatus)
                .containsExactly(AlertStatus.RAISED, AlertStatus.CLEARED);
        Alert raised = raisedAndCleared.get(0);
        assertThat(raised.getRegionCode()).isEqualTo("440106");
        assertThat(raised.getLocationId()).isEqualTo("DL-1");
        assertThat(raised.getSku()).isEqualTo("FORMULA");
        assertThat(raised.getEvidence()).containsEntry("availableUnits", "55").containsEntry("safetyStockUnits", "60");
        assertThat(raised.getConditionKey()).isEqualTo(raisedAndCleared.get(1).getConditionKey());
    }

    @Test
    void aLoweredSafetyStockIsJudgedAgainstTheNewLevelAtTheNextMovement() {
        world.location("DL-1", "440106", 60);
        world.move("DL-1", "FORMULA", "B-LATE", MovementKind.SALE, 30, null, NOV_16.plusSeconds(60)); // 50: raise
        world.location("DL-1", "440106", 40); // master data changes under the same key
        world.move("DL-1", "FORMULA", "B-LATE", MovementKind.SALE, 5, null, NOV_16.plusSeconds(120)); // 45: clear

        assertThat(world.alerts.readValuesToList().stream()
                .filter(alert -> alert.getAlertType() == AlertType.BELOW_SAFETY_STOCK))
                .extracting(Alert::getStatus, alert -> alert.getEvidence().get("safetyStockUnits"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(AlertStatus.RAISED, "60"),
                        org.assertj.core.groups.Tuple.tuple(AlertStatus.CLEARED, "40"));
    }

    @Test
    void infantFormulaWarnsSixMonthsBeforeExpiry() {
        world.alerts.readValuesToList();
        world.product("FORMULA-2", ProductCategory.INFANT_FORMULA, 180);
        world.receive("DL-1", "FORMULA-2", "B-200D", 5, LocalDate.parse("2027-06-04"), NOV_16); // 200 days left
        world.receive("DL-1", "FORMULA-2", "B-170D", 5, LocalDate.parse("2027-05-05"), NOV_16); // 170 days left

        List<Alert> raised = nearExpiry();
        assertThat(raised).extracting(Alert::getBatch).containsExactly("B-170D");
        assertThat(raised.get(0).getEvidence()).containsEntry("warningDays", "180").containsEntry("daysLeft", "170");
    }

    @Test
    void aBatchStartsWarningAsTimePassesWithoutAnyEventAndClearsWhenSoldOut() {
        world.alerts.readValuesToList();
        world.product("DIAPER-M", ProductCategory.DIAPERS, 90);
        world.receive("DL-1", "DIAPER-M", "B-D1", 12, EARLY, NOV_16); // 105 days left: not yet
        assertThat(nearExpiry()).isEmpty();

        world.driver.advanceWallClockTime(Duration.ofDays(30)); // mid-December: 75 days left
        List<Alert> raised = nearExpiry();
        assertThat(raised).extracting(Alert::getBatch, Alert::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("B-D1", AlertStatus.RAISED));
        assertThat(raised.get(0).getEvidence()).containsEntry("warningDays", "90");

        world.driver.advanceWallClockTime(Duration.ofHours(5)); // still nearing: not announced again
        assertThat(nearExpiry()).isEmpty();

        world.move("DL-1", "DIAPER-M", "B-D1", MovementKind.SALE, 12, null, NOV_16.plus(Duration.ofDays(31)));
        assertThat(nearExpiry()).extracting(Alert::getStatus).containsExactly(AlertStatus.CLEARED);
    }

    private List<Alert> nearExpiry() {
        return world.alerts.readValuesToList().stream()
                .filter(alert -> alert.getAlertType() == AlertType.NEAR_EXPIRY).toList();
    }
}
