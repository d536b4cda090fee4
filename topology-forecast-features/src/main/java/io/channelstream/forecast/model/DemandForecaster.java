package io.channelstream.forecast.model;

import java.util.OptionalDouble;

/**
 * Our forecast: exponential smoothing with a damped trend (Holt), on demand taken out of season by
 * the category's seasonality index and out of promotion by the series' promotion lift, then put back
 * into season (and into promotion, for weeks with a planned promotion).
 *
 * <p>Why the seasonality comes from the category and not from the series, as in textbook
 * Holt-Winters: a dealer's weekly demand for one SKU is a few dozen units with Poisson-like noise,
 * and estimating 52 seasonal factors from two years of it fits the noise. The category's national
 * demand is the sum of thousands of series, so its seasonal shape is sharp, and SKUs of one category
 * share it (wipes sell in summer whoever sells them).
 *
 * <p>The level's weight (alpha) is the series' own: of {@link SmoothingParameters#alphaChoices}, the one whose
 * one-week-ahead forecasts of the series' past weeks erred least in absolute units (what WAPE sums); a quiet,
 * steady series keeps a slow level, one whose level moved follows faster. Each of those past forecasts rests on
 * the weeks before it only, so the choice never looks ahead.
 *
 * <p>Weeks under promotion are divided by the lift when it is known; when it is not (the series has
 * never had a promotion), they are skipped rather than letting a doubled week lift the level.
 */
public final class DemandForecaster {

    public static final String METHOD = "damped-trend exponential smoothing (level weight chosen by the series' own "
            + "past errors) x category seasonality x promotion lift";

    /**
     * One-week-ahead errors a series needs before it chooses its own level weight (fewer would choose by noise):
     * two months of weeks.
     */
    public static final int MIN_ERRORS_TO_CHOOSE = 8;
    /** Weeks the smoothing needs before its one-week-ahead errors count towards the error spread. */
    private static final int WARM_UP_WEEKS = 4;
    /** An index this low would blow a week up when taking it out of season. */
    private static final double MIN_INDEX = 0.05;

    private final SmoothingParameters parameters;

    public DemandForecaster(SmoothingParameters parameters) {
        this.parameters = parameters;
    }

    /**
     * @param history      complete weeks up to now, no look-ahead
     * @param seasonality  the category's seasonality as known now
     * @param promoLift    the series' promotion lift, if known
     * @param plannedPromo for each week to forecast, whether a promotion is planned (its length = weeks ahead)
     */
    public ForecastResult forecast(WeeklySeries history, SeasonalityIndex seasonality, OptionalDouble promoLift,
                                   boolean[] plannedPromo) {
        int n = history.weeks();
        int horizon = plannedPromo.length;
        double[] deseasonalised = new double[n];
        boolean[] usable = new boolean[n];
        double[] index = new double[n];
        boolean liftKnown = promoLift.isPresent() && promoLift.getAsDouble() > 0;
        boolean anyRegularWeek = false;
        for (boolean promo : history.promo()) {
            anyRegularWeek |= !promo;
        }
        for (int i = 0; i < n; i++) {
            index[i] = Math.max(seasonality.index(history.weekStart(i)), MIN_INDEX);
            double units = history.units()[i] / index[i];
            if (history.promo()[i] && liftKnown) {
                units = units / promoLift.getAsDouble();
                usable[i] = true;
            } else if (history.promo()[i]) {
                // without a lift a promotion week would lift the level, so it is skipped; unless every week
                // ran under a promotion (or was flagged so): then they are all the demand there is
                usable[i] = !anyRegularWeek;
            } else {
                usable[i] = true;
            }
            deseasonalised[i] = units;
        }

        Smoothed smoothed = smooth(deseasonalised, usable, index, parameters.alpha());
        if (smoothed.errors() >= MIN_ERRORS_TO_CHOOSE) {
            for (double alpha : parameters.alphaChoices()) {
                Smoothed candidate = smooth(deseasonalised, usable, index, alpha);
                if (candidate.absoluteErrors() < smoothed.absoluteErrors() - 1e-9) {
                    smoothed = candidate;
                }
            }
        }
        double level = smoothed.level();
        double trend = smoothed.trend();
        double squaredErrors = smoothed.squaredErrors();
        int errors = smoothed.errors();

        double[] weekly = new double[horizon];
        double[] indices = new double[horizon];
        double dampedTrend = 0;
        double damping = 1;
        for (int h = 0; h < horizon; h++) {
            damping *= parameters.phi();
            dampedTrend += damping * trend;
            indices[h] = Math.max(seasonality.index(history.weekStart(n + h)), MIN_INDEX);
            double promoFactor = plannedPromo[h] && promoLift.isPresent() ? promoLift.getAsDouble() : 1.0;
            weekly[h] = Math.max(0, (level + dampedTrend) * indices[h] * promoFactor);
        }
        // Without enough history to measure our own errors, assume Poisson-like noise around the level.
        double errorStdDev = errors >= 4 ? Math.sqrt(squaredErrors / errors) : Math.sqrt(Math.max(level, 0));
        return new ForecastResult(weekly, indices, level, trend, errorStdDev, n);
    }

    /** The smoothing over the history with level weight {@code alpha}, and its one-week-ahead errors. */
    private record Smoothed(double alpha, double level, double trend, double squaredErrors, double absoluteErrors,
                            int errors) {}

    private Smoothed smooth(double[] deseasonalised, boolean[] usable, double[] index, double alpha) {
        double level = initialLevel(deseasonalised, usable);
        double trend = 0;
        double squaredErrors = 0;
        double absoluteErrors = 0;
        int errors = 0;
        int seen = 0;
        for (int i = 0; i < deseasonalised.length; i++) {
            double predicted = level + parameters.phi() * trend;
            if (!usable[i]) {
                level = predicted;
                trend = parameters.phi() * trend;
                continue;
            }
            if (seen >= WARM_UP_WEEKS) {
                // each week is forecast from the weeks before it only: the choice of alpha does not look ahead
                double error = (deseasonalised[i] - predicted) * index[i];
                squaredErrors += error * error;
                absoluteErrors += Math.abs(error);
                errors++;
            }
            seen++;
            double nextLevel = alpha * deseasonalised[i] + (1 - alpha) * predicted;
            trend = parameters.beta() * (nextLevel - level) + (1 - parameters.beta()) * parameters.phi() * trend;
            level = nextLevel;
        }
        return new Smoothed(alpha, level, trend, squaredErrors, absoluteErrors, errors);
    }

    private static double initialLevel(double[] deseasonalised, boolean[] usable) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < deseasonalised.length && count < WARM_UP_WEEKS; i++) {
            if (usable[i]) {
                sum += deseasonalised[i];
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    /**
     * @param weeklyUnits          forecast per week ahead, next week first
     * @param seasonalIndices      the index applied to each of those weeks
     * @param levelUnitsPerWeek    the deseasonalised, promotion-free level now
     * @param trendUnitsPerWeek    its trend (damped when projected)
     * @param errorStdDevUnits     spread of the method's one-week-ahead errors on this history
     * @param historyWeeks         weeks of history used
     */
    public record ForecastResult(double[] weeklyUnits, double[] seasonalIndices, double levelUnitsPerWeek,
                                 double trendUnitsPerWeek, double errorStdDevUnits, int historyWeeks) {}
}
