package io.channelstream.forecast;

import io.channelstream.forecast.model.SmoothingParameters;
import io.channelstream.forecast.model.WeekCalendar;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How the forecast topology counts and forecasts.
 *
 * @param weeks                    what a week is: Monday 00:00 to Monday 00:00, China Standard Time (UTC+8)
 * @param grace                    how long after a week ends its facts are still counted; later ones go to
 *                                 the late-events topic. Two days: a store's till or a dealer's ERP that
 *                                 uploads the weekend on Monday night is still on time.
 * @param horizonWeeks             complete weeks the rolling features look at (13 = a quarter)
 * @param historyWeeks             complete weeks kept per dealer × SKU for the forecast; at least a year
 *                                 plus the lead time, so seasonal naive has last year's week
 * @param categoryHistoryWeeks     weeks of category demand kept for the seasonality index (3 years)
 * @param leadTimeDays             days from ordering to goods on the shelf, by default
 * @param leadTimeDaysByCategory   per-category lead times (ProductCategory name → days)
 * @param safetyStockFactor        z of the service level (1.65 ≈ 95% of lead times without a stock-out)
 * @param smoothing                weights of the forecast's exponential smoothing
 * @param seasonalOutlookDays      how far ahead the seasonal alert looks (60 days: time to produce and ship)
 * @param seasonalAlertRise        rise of a category's expected weekly demand over its recent weeks that
 *                                 raises a SEASONAL_DEMAND alert (0.25 = +25%); it clears below half of it
 * @param coPurchaseWindowDays     days of orders the co-purchase figures count (sliding, whole CST days)
 * @param inTransitDays            how long an order placed and not (fully) received counts as in transit;
 *                                 after that it is presumed received without a matching receipt
 * @param regionLevel              GB/T 2260 digits the regional weekly demand is kept at (2 province, 4 city, 6 county)
 * @param publishIntervalMillis    how often changed features and suggestions are published (wall clock)
 * @param maxPublishesPerInterval  at most this many keys per task and publication, so one busy interval
 *                                 cannot stall the stream thread (the rest follow in the next)
 * @param maxPublishesPerBusyInterval at most this many keys per task and publication while facts keep
 *                                 arriving (any since the last publication): during a burst or a catch-up the
 *                                 thread counts the facts first and publishes a bounded share, each marked key
 *                                 once with all its changes so far; once the input pauses, the rest follow at
 *                                 {@code maxPublishesPerInterval}
 * @param liveLagMillis            a task is <em>live</em> while its stream time (the newest event time it saw) is
 *                                 at most this far behind the wall clock; further behind it is catching up (a
 *                                 backlog, a replay, a restart after downtime)
 * @param livePublishBudgetMillis  while a live task's facts keep arriving, its stream thread spends at most this
 *                                 much wall-clock time of each publish interval publishing, shared equally by
 *                                 the thread's dealer tasks (at most {@code maxPublishesPerInterval} keys each),
 *                                 instead of {@code maxPublishesPerBusyInterval} keys: live, fresh features are
 *                                 the point, and the budget leaves the rest of the interval to the intake;
 *                                 catching up, features of past days are soon superseded, so the count cap holds
 */
public record ForecastConfig(
        WeekCalendar weeks,
        Duration grace,
        int horizonWeeks,
        int historyWeeks,
        int categoryHistoryWeeks,
        int leadTimeDays,
        Map<String, Integer> leadTimeDaysByCategory,
        double safetyStockFactor,
        SmoothingParameters smoothing,
        int seasonalOutlookDays,
        double seasonalAlertRise,
        int coPurchaseWindowDays,
        int inTransitDays,
        int regionLevel,
        long publishIntervalMillis,
        int maxPublishesPerInterval,
        int maxPublishesPerBusyInterval,
        long liveLagMillis,
        long livePublishBudgetMillis) {

    public static final ForecastConfig DEFAULT = new ForecastConfig(
            WeekCalendar.CHINA, Duration.ofDays(2), 13, 60, 156, 14, Map.of("INFANT_FORMULA", 21), 1.65,
            SmoothingParameters.DEFAULT, 60, 0.25, 28, 30, 2, 1_000, 5_000, 500,
            600_000, 400);

    public ForecastConfig {
        Objects.requireNonNull(weeks, "weeks");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(smoothing, "smoothing");
        leadTimeDaysByCategory = Map.copyOf(leadTimeDaysByCategory);
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        if (horizonWeeks < 2) {
            throw new IllegalArgumentException("horizonWeeks must be at least 2, was " + horizonWeeks);
        }
        if (historyWeeks < horizonWeeks) {
            throw new IllegalArgumentException("historyWeeks (" + historyWeeks + ") must cover horizonWeeks ("
                    + horizonWeeks + ")");
        }
        if (leadTimeDays < 1 || safetyStockFactor < 0 || coPurchaseWindowDays < 1 || inTransitDays < 1) {
            throw new IllegalArgumentException("lead time, co-purchase window and in-transit days must be positive, "
                    + "the safety-stock factor not negative");
        }
        if (maxPublishesPerInterval < 1 || maxPublishesPerBusyInterval < 1) {
            throw new IllegalArgumentException("publications per interval must be positive");
        }
        if (liveLagMillis < 0 || livePublishBudgetMillis < 0 || livePublishBudgetMillis > publishIntervalMillis) {
            throw new IllegalArgumentException("liveLagMillis must not be negative, livePublishBudgetMillis must lie "
                    + "within 0.." + publishIntervalMillis + ", were " + liveLagMillis + ", " + livePublishBudgetMillis);
        }
        if (regionLevel != 2 && regionLevel != 4 && regionLevel != 6) {
            throw new IllegalArgumentException("regionLevel must be 2, 4 or 6 digits, was " + regionLevel);
        }
    }

    public long graceMillis() {
        return grace.toMillis();
    }

    public int leadTimeDaysOf(String category) {
        return category == null ? leadTimeDays : leadTimeDaysByCategory.getOrDefault(category, leadTimeDays);
    }

    public ForecastConfig withGrace(Duration newGrace) {
        return new ForecastConfig(weeks, newGrace, horizonWeeks, historyWeeks, categoryHistoryWeeks, leadTimeDays,
                leadTimeDaysByCategory, safetyStockFactor, smoothing, seasonalOutlookDays, seasonalAlertRise,
                coPurchaseWindowDays, inTransitDays, regionLevel, publishIntervalMillis, maxPublishesPerInterval,
                maxPublishesPerBusyInterval, liveLagMillis, livePublishBudgetMillis);
    }
}
