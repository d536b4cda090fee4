package io.channelstream.forecast.model;

import java.time.LocalDate;
import java.util.OptionalDouble;

/**
 * The brand's promotion calendar: which SKU runs a promotion (e.g. buy-two-get-one) in which week. It is
 * master data the brand plans and announces weeks ahead, so a forecast may know a future week's flag
 * without looking at its sales, and a past week's flag need not be guessed from orders.
 */
@FunctionalInterface
public interface PromotionCalendar {

    /** No calendar known: past promotion weeks are read from the orders' promo flags, none are planned. */
    PromotionCalendar NONE = new PromotionCalendar() {
        @Override
        public boolean promoted(String sku, LocalDate weekStart) {
            return false;
        }

        @Override
        public boolean known() {
            return false;
        }
    };

    /** True when {@code sku} is on promotion in the week starting {@code weekStart}. */
    boolean promoted(String sku, LocalDate weekStart);

    /**
     * The lift the brand expects of the promotion in that week, if it said; the forecast uses it only when it
     * cannot measure one from the series' past promotion weeks.
     */
    default OptionalDouble expectedLift(String sku, LocalDate weekStart) {
        return OptionalDouble.empty();
    }

    /** False for {@link #NONE}: then the flags come from the orders. */
    default boolean known() {
        return true;
    }
}
