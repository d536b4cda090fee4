package io.channelstream.forecast.backtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Weekly sales history of many series (SKU × dealer) on one week axis: what the backtest replays.
 *
 * @param firstWeekStart first day of week 0 (a Monday, China Standard Time)
 * @param weeks          weeks on the axis
 */
public record WeeklyHistory(LocalDate firstWeekStart, int weeks, List<Series> series) {

    /**
     * @param units units per week on the history's axis
     * @param promo whether each week ran under a promotion (promotions are planned ahead, so the
     *              backtest may know a future week's flag without looking at its sales)
     */
    public record Series(String dealerId, String sku, String category, long[] units, boolean[] promo) {

        public Series {
            Objects.requireNonNull(category, "category");
            if (units.length != promo.length) {
                throw new IllegalArgumentException("series " + dealerId + "|" + sku + ": units and promo differ in length");
            }
        }
    }

    public WeeklyHistory {
        series = List.copyOf(series);
        for (Series s : series) {
            if (s.units().length != weeks) {
                throw new IllegalArgumentException("series " + s.dealerId() + "|" + s.sku() + " has "
                        + s.units().length + " weeks, the axis " + weeks);
            }
        }
    }

    /**
     * Reads {@code dealerId,sku,category,weekStart,units,promo} lines (header first; weekStart ISO date of
     * the week's Monday; promo true/false). Weeks a series does not list count as 0 units, no promo.
     */
    public static WeeklyHistory readCsv(Path file) throws IOException {
        record Row(String dealer, String sku, String category, LocalDate week, long units, boolean promo) {}
        List<Row> rows = new ArrayList<>();
        TreeSet<LocalDate> weeks = new TreeSet<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new IOException(file + " is empty");
            }
            int lineNumber = 1;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 6) {
                    throw new IOException(file + ":" + lineNumber + ": expected 6 fields, got " + f.length);
                }
                LocalDate week = LocalDate.parse(f[3].trim());
                rows.add(new Row(f[0].trim(), f[1].trim(), f[2].trim(), week, Long.parseLong(f[4].trim()),
                        Boolean.parseBoolean(f[5].trim())));
                weeks.add(week);
            }
        }
        if (rows.isEmpty()) {
            throw new IOException(file + " holds no weeks");
        }
        LocalDate first = weeks.first();
        int length = (int) ChronoUnit.WEEKS.between(first, weeks.last()) + 1;
        Map<String, Series> byKey = new LinkedHashMap<>();
        for (Row row : rows) {
            Series s = byKey.computeIfAbsent(row.dealer() + "|" + row.sku(),
                    k -> new Series(row.dealer(), row.sku(), row.category(), new long[length], new boolean[length]));
            int i = (int) ChronoUnit.WEEKS.between(first, row.week());
            s.units()[i] += row.units();
            s.promo()[i] |= row.promo();
        }
        return new WeeklyHistory(first, length, new ArrayList<>(byKey.values()));
    }
}
