package io.channelstream.forecast.backtest;

import io.channelstream.forecast.DemandReplay;
import io.channelstream.forecast.ForecastConfig;
import io.channelstream.forecast.model.PromotionCalendar;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.DemandTruth;
import io.channelstream.simulator.EventSink;
import io.channelstream.simulator.SimEvent;
import io.channelstream.simulator.Simulation;
import io.channelstream.simulator.SimulationConfig;
import io.channelstream.simulator.World;
import java.io.PrintStream;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scores our forecast against the simulator's ground truth: a simulated brand ({@link Simulation}) generates
 * its history day by day; its orders and store sales go, in event-time order, through the topology's own
 * forecasting steps ({@link DemandReplay}); when a week starts, every dealer × SKU gets the forecast the
 * topology would publish then (from the complete weeks before it, no look-ahead); after the run, each
 * forecast of a scored week is compared with the units the simulator says were sold in that week
 * ({@code GroundTruth}: SALE movements at the dealer's locations).
 *
 * <p>Printed beside ours, on the same points: seasonal naive (the same week last year, as the topology
 * publishes it), last-week naive (what the simulator's scorer compares with), and the demand model's own
 * mean (no method can know the Poisson draw, so its error is the floor).
 */
public final class SimulatorBacktest {

    /**
     * @param seed             the simulator's seed
     * @param scale            the seed network × scale (0.05: 40 distributors, 15 stores, 26 SKUs)
     * @param weeks            weeks of history generated
     * @param firstMonday      day 0 of the history
     * @param firstScoredWeek  weeks before it only teach (a year: seasonal naive needs last year's week)
     * @param usePromotionCalendar give the forecast the brand's promotion calendar, as the simulator publishes it on
     *                             {@code master.promotions} and the topology reads it (else: order flags only)
     */
    public record Options(long seed, double scale, int weeks, LocalDate firstMonday, int firstScoredWeek,
                          boolean usePromotionCalendar) {

        public Options {
            if (firstMonday.getDayOfWeek() != DayOfWeek.MONDAY) {
                throw new IllegalArgumentException("firstMonday must be a Monday, was " + firstMonday);
            }
            if (firstScoredWeek < 1 || firstScoredWeek >= weeks) {
                throw new IllegalArgumentException("firstScoredWeek must lie in [1, weeks), was " + firstScoredWeek);
            }
        }

        public static Options defaults() {
            return new Options(42, 0.05, 104, LocalDate.parse("2024-01-01"), 53, true);
        }
    }

    /** Absolute errors of each method and the actual units, summed over a set of (dealer, SKU, week) points. */
    public record Errors(long points, double actualUnits, double meanUnits, double ours, double seasonalNaive,
                         double lastWeek, double trueMean) {

        static final Errors NONE = new Errors(0, 0, 0, 0, 0, 0, 0);

        Errors plus(double actual, double oursUnits, double seasonalNaiveUnits, double lastWeekUnits,
                    double trueMeanUnits) {
            return new Errors(points + 1, actualUnits + actual, meanUnits + trueMeanUnits,
                    ours + Math.abs(actual - oursUnits), seasonalNaive + Math.abs(actual - seasonalNaiveUnits),
                    lastWeek + Math.abs(actual - lastWeekUnits), trueMean + Math.abs(actual - trueMeanUnits));
        }

        Errors plus(Errors o) {
            return new Errors(points + o.points, actualUnits + o.actualUnits, meanUnits + o.meanUnits, ours + o.ours,
                    seasonalNaive + o.seasonalNaive, lastWeek + o.lastWeek, trueMean + o.trueMean);
        }

        public double wapeOurs() {
            return ours / actualUnits;
        }

        public double wapeSeasonalNaive() {
            return seasonalNaive / actualUnits;
        }

        public double wapeLastWeek() {
            return lastWeek / actualUnits;
        }

        public double wapeTrueMean() {
            return trueMean / actualUnits;
        }

        /** How much lower our WAPE is than seasonal naive's, as a share of it (0.25 = 25% lower). */
        public double improvementOverSeasonalNaive() {
            return 1 - wapeOurs() / wapeSeasonalNaive();
        }

        /** Units sold over the demand model's mean: below 1 where stock ran out (sales are capped by stock). */
        public double soldOverMean() {
            return actualUnits / meanUnits;
        }
    }

    /**
     * @param forecasts       by {@code dealerId|sku|weekStart}: what each method said as that week started
     * @param tallyMismatches scored points where the replay's weekly sold units differ from the truth's
     *                        (0: units, weeks and dealer attribution agree)
     */
    public record Result(Options options, Map<String, Errors> byCategory, Errors overall, Errors dealerWeeks,
                         int scoredWeeks, long eventsReplayed, long tallyMismatches, Map<String, Point> forecasts) {}

    /** One dealer × SKU × week: our forecast, seasonal naive's and last week's units. */
    public record Point(double ours, double seasonalNaive, double lastWeek) {}

    private SimulatorBacktest() {
    }

    public static Result run(Options options) {
        SimulationConfig simulation = new SimulationConfig(options.seed(), options.scale(), options.weeks(),
                options.firstMonday(), SimulationConfig.DEFAULT_CODE_DOMAIN, "bt" + options.seed(),
                SimulationConfig.defaultAnomalies(), SimulationConfig.Demand.seedDefaults());
        // the live path: the calendar is what the simulator publishes on master.promotions, read as the topology
        // reads it; without it, a fixed NONE (order flags)
        DemandReplay replay = options.usePromotionCalendar() ? new DemandReplay(ForecastConfig.DEFAULT)
                : new DemandReplay(ForecastConfig.DEFAULT, PromotionCalendar.NONE);
        long[] replayed = {0};
        EventSink intoReplay = event -> {
            if (event.topic() == Topics.PRODUCTS || event.topic() == Topics.LOCATIONS || event.topic() == Topics.DEALERS
                    || event.topic() == Topics.PROMOTIONS) {
                replay.masterData(event.value());
            } else if (event.topic() == Topics.ORDERS || event.topic() == Topics.STOCK_MOVEMENTS) {
                replay.accept(event.value());
                replayed[0]++;
            }
        };
        Simulation sim = new Simulation(simulation, intoReplay);
        LocalDate firstScored = options.firstMonday().plusWeeks(options.firstScoredWeek());
        LocalDate end = options.firstMonday().plusWeeks(options.weeks());
        // dealer|sku|week -> forecasts made when that week started
        Map<String, Point> forecasts = new HashMap<>();
        sim.publishMasterData();
        sim.runHistory((day, published) -> {
            LocalDate next = day.date().plusDays(1);
            if (next.getDayOfWeek() == DayOfWeek.MONDAY && !next.isBefore(firstScored) && next.isBefore(end)) {
                replay.publishAsOf(next).forEach((key, p) -> forecasts.put(key + Topics.KEY_SEPARATOR + next,
                        new Point(p.forecastUnits(), p.seasonalNaiveUnits(), p.lastWeekUnits())));
            }
        });

        World world = sim.world();
        Map<String, Errors> byCategory = new TreeMap<>();
        // the same points summed over a dealer's SKUs per week: actual, ours, seasonal naive, last week, mean
        Map<String, double[]> byDealerWeek = new HashMap<>();
        long mismatches = 0;
        Point coldStart = new Point(0, 0, 0);
        for (DemandTruth truth : sim.truth().demand()) {
            if (truth.weekStart().isBefore(firstScored) || !truth.weekStart().isBefore(end)) {
                continue;
            }
            if (replay.soldUnits(truth.dealerId(), truth.sku(), truth.weekStart()) != truth.soldUnits()) {
                mismatches++;
            }
            // a dealer × SKU without any history yet has no forecast: every method says 0
            Point p = forecasts.getOrDefault(Topics.key(truth.dealerId(), truth.sku(), truth.weekStart().toString()),
                    coldStart);
            double mean = Math.max(truth.expectedUnits(), 0);
            byCategory.merge(world.product(truth.sku()).category().name(), Errors.NONE.plus(truth.soldUnits(),
                    p.ours(), p.seasonalNaive(), p.lastWeek(), mean), Errors::plus);
            double[] sums = byDealerWeek.computeIfAbsent(truth.dealerId() + "|" + truth.weekStart(), k -> new double[5]);
            sums[0] += truth.soldUnits();
            sums[1] += p.ours();
            sums[2] += p.seasonalNaive();
            sums[3] += p.lastWeek();
            sums[4] += mean;
        }
        Errors overall = byCategory.values().stream().reduce(Errors.NONE, Errors::plus);
        Errors dealerWeeks = byDealerWeek.values().stream()
                .map(s -> Errors.NONE.plus(s[0], s[1], s[2], s[3], s[4])).reduce(Errors.NONE, Errors::plus);
        return new Result(options, byCategory, overall, dealerWeeks, options.weeks() - options.firstScoredWeek(),
                replayed[0], mismatches, forecasts);
    }

    public static void print(Result result, PrintStream out) {
        Options o = result.options();
        out.printf(Locale.ROOT, "simulator: seed %d, scale %s, %d weeks from %s; scored weeks %d..%d (%d), one week "
                        + "ahead, forecast made as the week starts; promotion calendar %s%n", o.seed(),
                stripZeros(o.scale()), o.weeks(), o.firstMonday(), o.firstScoredWeek(), o.weeks() - 1,
                result.scoredWeeks(), o.usePromotionCalendar() ? "known (master.promotions)" : "not used (order flags)");
        out.printf(Locale.ROOT, "%d orders and stock movements replayed; %d points; weekly sold units differing from "
                + "the truth: %d%n", result.eventsReplayed(), result.overall().points(), result.tallyMismatches());
        out.printf(Locale.ROOT, "%-15s %7s %8s %10s %11s %10s %10s %13s %10s%n", "category", "points", "sold",
                "WAPE ours", "seas.naive", "last week", "model mean", "ours vs s.n.", "sold/mean");
        result.byCategory().forEach((category, errors) -> line(out, category, errors));
        line(out, "OVERALL", result.overall());
        out.println("the same forecasts summed over each dealer's SKUs per week (a coarser measure):");
        line(out, "DEALER x WEEK", result.dealerWeeks());
    }

    private static void line(PrintStream out, String label, Errors e) {
        out.printf(Locale.ROOT, "%-15s %7d %8.0f %9.1f%% %10.1f%% %9.1f%% %9.1f%% %12.1f%% %10.2f%n", label,
                e.points(), e.actualUnits(), 100 * e.wapeOurs(), 100 * e.wapeSeasonalNaive(), 100 * e.wapeLastWeek(),
                100 * e.wapeTrueMean(), 100 * e.improvementOverSeasonalNaive(), e.soldOverMean());
    }

    private static String stripZeros(double value) {
        return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Options from {@code --seed --scale --weeks --first-monday --first-scored-week --promotion-calendar}. */
    static Options options(Map<String, String> flags) {
        Options d = Options.defaults();
        return new Options(Long.parseLong(flags.getOrDefault("seed", Long.toString(d.seed()))),
                Double.parseDouble(flags.getOrDefault("scale", Double.toString(d.scale()))),
                Integer.parseInt(flags.getOrDefault("weeks", Integer.toString(d.weeks()))),
                LocalDate.parse(flags.getOrDefault("first-monday", d.firstMonday().toString())),
                Integer.parseInt(flags.getOrDefault("first-scored-week", Integer.toString(d.firstScoredWeek()))),
                Boolean.parseBoolean(flags.getOrDefault("promotion-calendar",
                        Boolean.toString(d.usePromotionCalendar()))));
    }

    static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --flag value pairs, got '" + args[i] + "'");
            }
            flags.put(args[i].substring(2), args[i + 1]);
        }
        return flags;
    }
}
