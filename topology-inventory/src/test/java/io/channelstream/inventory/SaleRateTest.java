package io.channelstream.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

/** A decayed sale rate reads a steady seller's rate back, forgets a location that stopped, and takes late sales. */
class SaleRateTest {

    private static final long DAY = 86_400_000L;
    private static final long START = 1_780_000_000_000L;

    @Test
    void aSteadySellerReadsBackItsRate() {
        SaleRate rate = SaleRate.firstSale(3, START);
        for (int day = 1; day < 60; day++) {
            rate = rate.plus(3, START + day * DAY);
        }
        assertThat(rate.unitsPerDay(START + 60 * DAY)).isCloseTo(3.0, offset(0.25));
    }

    @Test
    void aLocationThatStoppedSellingFadesOut() {
        SaleRate rate = SaleRate.firstSale(3, START);
        for (int day = 1; day < 60; day++) {
            rate = rate.plus(3, START + day * DAY);
        }
        assertThat(rate.unitsPerDay(START + 150 * DAY)).isLessThan(0.05);
    }

    @Test
    void aLateSaleCountsAsIfItHadArrivedInOrder() {
        SaleRate inOrder = SaleRate.firstSale(5, START).plus(7, START + 2 * DAY).plus(4, START + 5 * DAY);
        SaleRate late = SaleRate.firstSale(5, START).plus(4, START + 5 * DAY).plus(7, START + 2 * DAY);
        assertThat(late.unitsPerDay(START + 6 * DAY)).isCloseTo(inOrder.unitsPerDay(START + 6 * DAY), offset(1e-9));
    }

    @Test
    void aFirstSaleIsNotReadAsAHugeRate() {
        // ten units an hour ago: judged over at least a week, not as 240 a day
        assertThat(SaleRate.firstSale(10, START).unitsPerDay(START + DAY / 24)).isLessThan(2.0);
    }
}
