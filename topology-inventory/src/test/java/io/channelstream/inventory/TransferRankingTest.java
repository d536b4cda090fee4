package io.channelstream.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.inventory.TransferRanking.Candidate;
import io.channelstream.inventory.TransferRanking.Economics;
import io.channelstream.inventory.TransferRanking.SentBatch;
import io.channelstream.inventory.TransferSources.BatchUnits;
import io.channelstream.inventory.TransferSources.Place;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which source a short location should get stock from: the cheap and quick one with plenty to spare, unless
 * another saves stock from expiring; sources that cannot spare anything are not offered.
 */
class TransferRankingTest {

    private static final LocalDate TODAY = LocalDate.parse("2026-12-01");
    private static final Economics ECONOMICS = Economics.defaults();

    // sells 5 a day, holds 10, safety stock 20: two weeks of its sales is 70, so it needs 60
    private final Place destination = place("DEST", 0, 20, 5, batch("D1", 200, 10));

    @Test
    void theNeedBringsTheDestinationToTwoWeeksOfItsSalesOrItsSafetyStock() {
        TransferRanking.Need need = TransferRanking.need(destination, null, ECONOMICS);
        assertThat(need.units()).isEqualTo(60);
        assertThat(need.because()).contains("target 70").contains("safety stock 20").contains("14 days × 5 sold/day");
        assertThat(TransferRanking.need(destination, 15, ECONOMICS).units()).isEqualTo(15);
        Place stocked = place("FULL", 0, 20, 1, batch("D1", 200, 50));
        assertThat(TransferRanking.need(stocked, null, ECONOMICS).units()).isZero();
        assertThat(TransferRanking.rank(stocked, 0, List.of(), ECONOMICS, TODAY, 10)).isEmpty();
    }

    @Test
    void sourcesAreRankedByCostTimeCoverExpiryAndFillWithTheirReasons() {
        Place near = place("NEAR", 50, 10, 2, batch("N1", 300, 200));          // keeps 28, spares 172
        Place far = place("FAR", 250, 0, 1, batch("F1", 20, 80), batch("F2", 400, 20)); // F1 expires in 20 days
        Place small = place("SMALL", 30, 0, 2, batch("S1", 300, 30));          // keeps 28, spares 2
        Place bare = place("BARE", 10, 40, 1, batch("B1", 300, 40));           // keeps its safety stock: nothing

        List<Candidate> ranked = TransferRanking.rank(destination, 60, List.of(far, small, near, bare), ECONOMICS,
                TODAY, 10);

        assertThat(ranked).extracting(c -> c.source().locationId()).containsExactly("NEAR", "FAR", "SMALL");
        Candidate best = ranked.get(0);
        assertThat(best.rank()).isEqualTo(1);
        assertThat(best.units()).isEqualTo(60);
        assertThat(best.spareUnits()).isEqualTo(172);
        assertThat(best.transportCostFen()).isEqualTo(15_000); // 50 km at 300 fen/km
        assertThat(best.transferHours()).isCloseTo(4 + 50 / 60.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(best.sourceCoverDaysAfter()).isEqualTo(70.0);  // (200 - 60) / 2
        assertThat(best.reasons()).anyMatch(r -> r.contains("transport ¥150.00 for 50 km"))
                .anyMatch(r -> r.contains("keeps 70 days of its own sales after sending 60"))
                .anyMatch(r -> r.contains("covers the whole need of 60"))
                .anyMatch(r -> r.startsWith("score "));

        // the far source's near-expiry batch sells in time only at the destination: it sends that one
        Candidate far2 = ranked.get(1);
        assertThat(far2.batches()).containsExactly(new SentBatch("F1", TODAY.plusDays(20), 60));
        assertThat(far2.nearExpiryUnitsSaved()).isEqualTo(60);
        assertThat(far2.reasons()).anyMatch(r -> r.contains("saves 60 units from expiring: batch F1"));
        assertThat(far2.parts().expiry()).isZero();

        Candidate partial = ranked.get(2);
        assertThat(partial.units()).isEqualTo(2);
        assertThat(partial.reasons()).anyMatch(r -> r.contains("covers 2 of the 60 needed"));
        assertThat(ranked).isSortedAccordingTo(java.util.Comparator.comparingDouble(Candidate::score));
    }

    @Test
    void aSourceThatSellsFasterKeepsItsEarliestExpiringStock() {
        Place busy = place("BUSY", 80, 0, 9, batch("E1", 60, 200), batch("E2", 300, 200));
        Candidate only = TransferRanking.rank(destination, 60, List.of(busy), ECONOMICS, TODAY, 10).get(0);
        assertThat(only.batches()).extracting(SentBatch::batch).containsExactly("E2");
        assertThat(only.reasons()).anyMatch(r -> r.contains("keeps the earliest"));
        assertThat(TransferRanking.rank(destination, 60, List.of(busy, busy), ECONOMICS, TODAY, 1)).hasSize(1);
    }

    private static Place place(String id, double distanceKm, Integer safety, double ratePerDay, BatchUnits... batches) {
        long available = java.util.Arrays.stream(batches).mapToLong(BatchUnits::units).sum();
        return new Place(id, "Place " + id, "DEALER", "440106", "D-" + id, distanceKm, safety, ratePerDay, available,
                List.of(batches));
    }

    private static BatchUnits batch(String batch, int daysToExpiry, long units) {
        return new BatchUnits(batch, TODAY.plusDays(daysToExpiry), units);
    }
}
