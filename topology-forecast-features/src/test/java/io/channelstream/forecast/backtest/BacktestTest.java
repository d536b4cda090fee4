package io.channelstream.forecast.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacktestTest {

    @Test
    void onSeasonalSeriesWithPlannedPromotionsOurForecastBeatsSeasonalNaiveByAQuarterInEveryCategory() {
        WeeklyHistory history = SyntheticHistory.generate(11, 8, 3, 140, LocalDate.parse("2023-01-02"), 0.08);

        Backtest.Result result = Backtest.run(history, Backtest.Options.defaults(history));

        assertThat(result.origins()).isEqualTo(140 - 70 - 2);
        assertThat(result.overall().improvement()).isGreaterThanOrEqualTo(0.25);
        assertThat(result.byCategory()).hasSize(6).allSatisfy((category, wape) ->
                assertThat(wape.ours()).as(category).isLessThan(wape.seasonalNaive()));
    }

    @Test
    void theForecastNeverSeesTheWeeksItIsScoredOn() {
        WeeklyHistory history = SyntheticHistory.generate(5, 3, 1, 120, LocalDate.parse("2023-01-02"), 0.0);
        Backtest.Result honest = Backtest.run(history, Backtest.Options.defaults(history));
        // change only the last week: forecasts from earlier origins must not move; only the scoring of that week
        WeeklyHistory.Series first = history.series().get(0);
        first.units()[119] += 1000;
        Backtest.Result changed = Backtest.run(history, Backtest.Options.defaults(history));

        double addedActual = 1000;
        assertThat(changed.overall().actual() - honest.overall().actual()).isEqualTo(addedActual);
        // week 119 is scored once (2 weeks ahead of origin 117) and never part of any origin's history: our
        // forecast stays what it was, so the error grows by about the change itself
        assertThat(changed.overall().absoluteErrorOurs() - honest.overall().absoluteErrorOurs())
                .isCloseTo(addedActual, org.assertj.core.api.Assertions.within(addedActual * 0.05));
    }

    @Test
    void aCsvHistoryIsReadWithMissingWeeksAsZero(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("history.csv");
        Files.writeString(csv, """
                dealerId,sku,category,weekStart,units,promo
                D-1,SKU-A,WIPES,2026-01-05,10,false
                D-1,SKU-A,WIPES,2026-01-19,30,true
                D-2,SKU-A,WIPES,2026-01-12,7,false
                """);

        WeeklyHistory history = WeeklyHistory.readCsv(csv);

        assertThat(history.weeks()).isEqualTo(3);
        assertThat(history.series()).hasSize(2);
        assertThat(history.series().get(0).units()).containsExactly(10, 0, 30);
        assertThat(history.series().get(0).promo()).containsExactly(false, false, true);
    }
}
