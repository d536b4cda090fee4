package io.channelstream.forecast.model;

import java.util.List;

/**
 * Weights of the damped-trend exponential smoothing.
 *
 * @param alpha        how fast the level follows new weeks (0..1); low, because weekly dealer demand is noisy
 * @param beta         how fast the trend follows the level's changes (0..1)
 * @param phi          trend damping per week ahead (0..1): a trend is believed less the further out it goes
 * @param alphaChoices level weights a series may choose instead of {@code alpha}: the one whose one-week-ahead
 *                     forecasts of the series' own past weeks erred least (absolute units, the error WAPE sums),
 *                     once the series has {@link DemandForecaster#MIN_ERRORS_TO_CHOOSE} such weeks; empty: always
 *                     {@code alpha}
 */
public record SmoothingParameters(double alpha, double beta, double phi, List<Double> alphaChoices) {

    /**
     * Textbook values for noisy weekly demand: a slow level, a slower trend, damped; and the level's weight chosen
     * per series between slow and quick (docs/forecast.md, "Quality").
     */
    public static final SmoothingParameters DEFAULT = new SmoothingParameters(0.15, 0.03, 0.9,
            List.of(0.06, 0.10, 0.15, 0.22, 0.32));

    public SmoothingParameters {
        check("alpha", alpha);
        check("beta", beta);
        check("phi", phi);
        alphaChoices = List.copyOf(alphaChoices);
        alphaChoices.forEach(choice -> check("alphaChoices", choice));
    }

    /** Fixed weights: every series smoothed with {@code alpha}. */
    public SmoothingParameters(double alpha, double beta, double phi) {
        this(alpha, beta, phi, List.of());
    }

    private static void check(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], was " + value);
        }
    }
}
