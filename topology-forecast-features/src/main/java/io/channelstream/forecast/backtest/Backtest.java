package io.channelstream.forecast.backtest;

import io.channelstream.forecast.model.DemandForecaster;
import io.channelstream.forecast.model.PromoLift;
import io.channelstream.forecast.model.SeasonalNaive;
import io.channelstream.forecast.model.SeasonalityIndex;
import io.channelstream.forecast.model.SmoothingParameters;
import io.channelstream.forecast.model.WeeklySeries;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Replays weekly sales history week by week and scores our forecast against seasonal naive, without
 * looking ahead: at each forecast origin t, everything the forecast uses (the series' weeks, the
 * category's seasonality, the promotion lift) is computed from weeks 0..t only; the forecast is for
 * weeks t+1..t+horizon. What a forecast may know about the future is the promotion calendar, which a
 * brand plans and announces weeks ahead.
 *
 * <p>Score: WAPE = Σ|actual − forecast| / Σ actual, per category and overall, over every
 * (origin, week ahead, series).
 */
public final class Backtest {

    /**
     * @param firstOrigin   the first week whose end is a forecast origin (earlier weeks are warm-up only)
     * @param horizonWeeks  weeks ahead scored from each origin (the lead time a suggestion covers)
     */
    public record Options(int firstOrigin, int horizonWeeks, SmoothingParameters smoothing) {

        public static Options defaults(WeeklyHistory history) {
            // a year and a half of warm-up gives every week of the year a seasonal index
            return new Options(Math.min(78, history.weeks() / 2), 2, SmoothingParameters.DEFAULT);
        }
    }

    /** Absolute errors and actuals summed over a set of forecasts. */
    public record Wape(double absoluteErrorOurs, double absoluteErrorNaive, double actual) {

        static final Wape ZERO = new Wape(0, 0, 0);

        Wape plus(double actualUnits, double ours, double naive) {
            return new Wape(absoluteErrorOurs + Math.abs(actualUnits - ours),
                    absoluteErrorNaive + Math.abs(actualUnits - naive), actual + actualUnits);
        }

        Wape plus(Wape other) {
            return new Wape(absoluteErrorOurs + other.absoluteErrorOurs, absoluteErrorNaive + other.absoluteErrorNaive,
                    actual + other.actual);
        }

        public double ours() {
            return actual == 0 ? Double.NaN : absoluteErrorOurs / actual;
        }

        public double seasonalNaive() {
            return actual == 0 ? Double.NaN : absoluteErrorNaive / actual;
        }

        /** How much lower our WAPE is than naive's, as a share of naive's (0.25 = 25% better). */
        public double improvement() {
            return 1 - ours() / seasonalNaive();
        }
    }

    public record Result(Map<String, Wape> byCategory, Wape overall, int origins, int series, int forecasts) {}

    private Backtest() {
    }

    public static Result run(WeeklyHistory history, Options options) {
        DemandForecaster forecaster = new DemandForecaster(options.smoothing());
        Map<String, List<WeeklyHistory.Series>> byCategory = new TreeMap<>();
        history.series().forEach(s -> byCategory.computeIfAbsent(s.category(), c -> new ArrayList<>()).add(s));
        Map<String, double[]> categoryTotals = new HashMap<>();
        byCategory.forEach((category, members) -> {
            double[] totals = new double[history.weeks()];
            for (WeeklyHistory.Series s : members) {
                for (int w = 0; w < totals.length; w++) {
                    totals[w] += s.units()[w];
                }
            }
            categoryTotals.put(category, totals);
        });

        Map<String, Wape> scores = new TreeMap<>();
        int origins = 0;
        int forecasts = 0;
        int horizon = options.horizonWeeks();
        for (int origin = options.firstOrigin(); origin + horizon < history.weeks(); origin++) {
            origins++;
            int known = origin + 1; // weeks 0..origin are history
            for (Map.Entry<String, List<WeeklyHistory.Series>> category : byCategory.entrySet()) {
                SeasonalityIndex seasonality = SeasonalityIndex.estimate(
                        Arrays.copyOf(categoryTotals.get(category.getKey()), known), history.firstWeekStart());
                double[] indexByWeek = new double[known];
                for (int w = 0; w < known; w++) {
                    indexByWeek[w] = seasonality.index(history.firstWeekStart().plusWeeks(w));
                }
                OptionalDouble categoryLift = pooledLift(category.getValue(), known, indexByWeek);
                Wape score = scores.getOrDefault(category.getKey(), Wape.ZERO);
                for (WeeklyHistory.Series s : category.getValue()) {
                    double[] units = new double[known];
                    for (int w = 0; w < known; w++) {
                        units[w] = s.units()[w];
                    }
                    boolean[] promo = Arrays.copyOf(s.promo(), known);
                    OptionalDouble lift = PromoLift.estimate(units, promo, indexByWeek);
                    if (lift.isEmpty()) {
                        lift = categoryLift;
                    }
                    boolean[] planned = Arrays.copyOfRange(s.promo(), known, known + horizon);
                    double[] ours = forecaster.forecast(new WeeklySeries(history.firstWeekStart(), units, promo),
                            seasonality, lift, planned).weeklyUnits();
                    double[] naive = SeasonalNaive.forecast(units, horizon);
                    for (int h = 0; h < horizon; h++) {
                        score = score.plus(s.units()[known + h], ours[h], naive[h]);
                        forecasts++;
                    }
                }
                scores.put(category.getKey(), score);
            }
        }
        Wape overall = scores.values().stream().reduce(Wape.ZERO, Wape::plus);
        return new Result(scores, overall, origins, history.series().size(), forecasts);
    }

    /** Promotion lift of a category: all its series' promo weeks against all their other weeks, out of season. */
    private static OptionalDouble pooledLift(List<WeeklyHistory.Series> members, int known, double[] indexByWeek) {
        double promoSum = 0;
        long promoWeeks = 0;
        double regularSum = 0;
        long regularWeeks = 0;
        for (WeeklyHistory.Series s : members) {
            for (int w = 0; w < known; w++) {
                double adjusted = s.units()[w] / Math.max(indexByWeek[w], 0.05);
                if (s.promo()[w]) {
                    promoSum += adjusted;
                    promoWeeks++;
                } else {
                    regularSum += adjusted;
                    regularWeeks++;
                }
            }
        }
        if (promoWeeks == 0 || regularWeeks == 0 || regularSum == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of((promoSum / promoWeeks) / (regularSum / regularWeeks));
    }

    public static void print(Result result, PrintStream out) {
        out.printf(Locale.ROOT, "%d series, %d forecast origins, %d forecasts scored%n", result.series(),
                result.origins(), result.forecasts());
        out.printf(Locale.ROOT, "%-16s %10s %16s %12s%n", "category", "WAPE ours", "WAPE seas.naive", "improvement");
        result.byCategory().forEach((category, wape) -> line(out, category, wape));
        line(out, "OVERALL", result.overall());
    }

    private static void line(PrintStream out, String label, Wape wape) {
        out.printf(Locale.ROOT, "%-16s %9.1f%% %15.1f%% %11.1f%%%n", label, 100 * wape.ours(),
                100 * wape.seasonalNaive(), 100 * wape.improvement());
    }

    /**
     * {@code Backtest [--seed N] [--scale X] [--weeks N] [--first-monday DATE] [--first-scored-week N]
     * [--promotion-calendar true|false]}: replays the simulator's world ({@link SimulatorBacktest}), the default;
     * {@code Backtest --csv FILE [--horizon N] [--first-origin N]} scores a CSV history
     * ({@link WeeklyHistory#readCsv}); {@code Backtest --synthetic true [--seed N] [--dealers N]
     * [--skus-per-category N] [--weeks N]} a synthetic one ({@link SyntheticHistory}).
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> flags = SimulatorBacktest.flags(args);
        WeeklyHistory history;
        if (flags.containsKey("csv")) {
            history = WeeklyHistory.readCsv(Path.of(flags.get("csv")));
            System.out.println("history: " + flags.get("csv"));
        } else if (Boolean.parseBoolean(flags.getOrDefault("synthetic", "false"))) {
            long seed = Long.parseLong(flags.getOrDefault("seed", "42"));
            int dealers = Integer.parseInt(flags.getOrDefault("dealers", "20"));
            int skus = Integer.parseInt(flags.getOrDefault("skus-per-category", "5"));
            int weeks = Integer.parseInt(flags.getOrDefault("weeks", "156"));
            history = SyntheticHistory.generate(seed, dealers, skus, weeks, LocalDate.of(2023, 1, 2), 0.08);
            System.out.printf(Locale.ROOT, "history: synthetic, seed %d, %d dealers x %d SKUs x %d categories, %d weeks%n",
                    seed, dealers, skus, SyntheticHistory.CATEGORIES.size(), weeks);
        } else {
            long started = System.nanoTime();
            SimulatorBacktest.Result result = SimulatorBacktest.run(SimulatorBacktest.options(flags));
            SimulatorBacktest.print(result, System.out);
            System.out.printf(Locale.ROOT, "(%.0f s)%n", (System.nanoTime() - started) / 1e9);
            return;
        }
        Options defaults = Options.defaults(history);
        Options options = new Options(Integer.parseInt(flags.getOrDefault("first-origin",
                Integer.toString(defaults.firstOrigin()))),
                Integer.parseInt(flags.getOrDefault("horizon", Integer.toString(defaults.horizonWeeks()))),
                defaults.smoothing());
        System.out.printf(Locale.ROOT, "forecast origins from week %d, %d weeks ahead each, no look-ahead%n",
                options.firstOrigin(), options.horizonWeeks());
        print(run(history, options), System.out);
    }
}
