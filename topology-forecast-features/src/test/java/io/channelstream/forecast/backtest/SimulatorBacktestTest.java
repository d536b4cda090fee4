package io.channelstream.forecast.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The quality goal, measured on the simulator's ground truth through the topology's own forecast. */
class SimulatorBacktestTest {

    private static final LocalDate FIRST_MONDAY = LocalDate.parse("2024-01-01");

    @Test
    void onASmallSimulatedBrandOurForecastBeatsSeasonalNaiveByAQuarter() {
        // 24 distributors, 9 stores, 16 SKUs; a year to learn from, then 27 weeks scored
        SimulatorBacktest.Result result = SimulatorBacktest.run(
                new SimulatorBacktest.Options(42, 0.03, 80, FIRST_MONDAY, 53, true));
        SimulatorBacktest.print(result, System.out);

        // the replay counts exactly the units the simulator says were sold, in the same weeks, at the same dealers
        assertThat(result.tallyMismatches()).isZero();
        assertThat(result.overall().points()).isGreaterThan(10_000);
        assertThat(result.overall().improvementOverSeasonalNaive()).isGreaterThanOrEqualTo(0.25);
        assertThat(result.overall().wapeOurs()).isLessThan(result.overall().wapeLastWeek());
        assertThat(result.byCategory()).hasSize(6).allSatisfy((category, errors) ->
                assertThat(errors.wapeOurs()).as(category).isLessThan(errors.wapeSeasonalNaive()));
    }

    @Test
    void aForecastDoesNotChangeWhenLaterWeeksAreAdded() {
        // the same brand and seed: the first 20 weeks are the same events in both runs
        SimulatorBacktest.Result shorter = SimulatorBacktest.run(
                new SimulatorBacktest.Options(5, 0.02, 20, FIRST_MONDAY, 14, true));
        SimulatorBacktest.Result longer = SimulatorBacktest.run(
                new SimulatorBacktest.Options(5, 0.02, 26, FIRST_MONDAY, 14, true));

        assertThat(shorter.forecasts()).isNotEmpty();
        assertThat(longer.forecasts()).hasSizeGreaterThan(shorter.forecasts().size());
        shorter.forecasts().forEach((point, forecast) ->
                assertThat(longer.forecasts().get(point)).as(point).isEqualTo(forecast));
    }
}
