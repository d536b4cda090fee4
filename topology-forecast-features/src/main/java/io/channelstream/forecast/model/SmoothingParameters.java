package io.channelstream.forecast.model;

/**
 * Weights of the damped-trend exponential smoothing.
 *
 * @param alpha how fast the level follows new weeks (0..1); low, because weekly dealer demand is noisy
 * @param beta  how fast the trend follows the level's changes (0..1)
 * @param phi   trend damping per week ahead (0..1): a trend is believed less the further out it goes
 */
public record SmoothingParameters(double alpha, double beta, double phi) {

    /** Textbook values for noisy weekly demand: a slow level, a slower trend, damped (docs/forecast.md). */
    public static final SmoothingParameters DEFAULT = new SmoothingParameters(0.15, 0.03, 0.9);

    public SmoothingParameters {
        check("alpha", alpha);
        check("beta", beta);
        check("phi", phi);
    }

    private static void check(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], was " + value);
        }
    }
}
