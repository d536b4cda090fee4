package io.channelstream.inventory;

/**
 * How fast a SKU sells at one location: units sold, exponentially decayed with a time constant of
 * {@value #TIME_CONSTANT_DAYS} days, so last week's sales weigh more than last quarter's and a location
 * that stopped selling fades out. Kept by the inventory topology from SALE movements, read for days of
 * cover when suggesting transfers.
 *
 * @param decayedUnits    sum of units sold, each weighted by e^(−age/τ), as of {@code lastSaleMillis}
 * @param lastSaleMillis  event time of the latest sale counted
 * @param firstSaleMillis event time of the earliest sale counted (how long the history is)
 */
public record SaleRate(double decayedUnits, long lastSaleMillis, long firstSaleMillis) {

    /** τ of the exponential decay: about two weeks of memory, the horizon of a transfer decision. */
    public static final double TIME_CONSTANT_DAYS = 14;
    /**
     * A history shorter than this is judged as if it were this long: a first sale an hour ago is one sale in
     * a week, not a rate of hundreds a day. It makes young rates err low, the safe side for "can it spare".
     */
    public static final double MIN_HISTORY_DAYS = 7;

    private static final double DAY_MILLIS = 86_400_000d;
    private static final double TIME_CONSTANT_MILLIS = TIME_CONSTANT_DAYS * DAY_MILLIS;

    static SaleRate firstSale(int units, long atMillis) {
        return new SaleRate(units, atMillis, atMillis);
    }

    /** Counts one more sale; a sale older than the latest (out of order) is decayed to the latest's time. */
    SaleRate plus(int units, long atMillis) {
        if (atMillis >= lastSaleMillis) {
            double carried = decayedUnits * Math.exp(-(atMillis - lastSaleMillis) / TIME_CONSTANT_MILLIS);
            return new SaleRate(carried + units, atMillis, Math.min(firstSaleMillis, atMillis));
        }
        double late = units * Math.exp(-(lastSaleMillis - atMillis) / TIME_CONSTANT_MILLIS);
        return new SaleRate(decayedUnits + late, lastSaleMillis, Math.min(firstSaleMillis, atMillis));
    }

    /**
     * Units per day as of {@code nowMillis}. A steady rate r over a history of h days leaves a decayed sum of
     * r·τ·(1 − e^(−h/τ)), so that is what the sum is divided by (h at least {@link #MIN_HISTORY_DAYS}). A
     * clock behind the latest sale is judged at the latest sale.
     */
    public double unitsPerDay(long nowMillis) {
        long at = Math.max(nowMillis, lastSaleMillis);
        double decayed = decayedUnits * Math.exp(-(at - lastSaleMillis) / TIME_CONSTANT_MILLIS);
        double historyDays = Math.max(MIN_HISTORY_DAYS, (at - firstSaleMillis) / DAY_MILLIS);
        double windowDays = TIME_CONSTANT_DAYS * (1 - Math.exp(-historyDays / TIME_CONSTANT_DAYS));
        return decayed / windowDays;
    }
}
