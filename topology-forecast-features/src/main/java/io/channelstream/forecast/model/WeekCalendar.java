package io.channelstream.forecast.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Objects;

/**
 * What "a week" means for the features: it starts on {@code firstDay} at 00:00 in {@code zone}. The
 * channel works on China Standard Time (UTC+8, no daylight saving since 1991), and its sales weeks run
 * Monday to Sunday, so a sale at 23:30 on Sunday in Guangzhou (15:30 UTC) belongs to the week that is
 * ending, not the next one as it would in UTC.
 */
public record WeekCalendar(ZoneOffset zone, DayOfWeek firstDay) {

    public static final ZoneOffset CHINA_STANDARD_TIME = ZoneOffset.ofHours(8);
    public static final WeekCalendar CHINA = new WeekCalendar(CHINA_STANDARD_TIME, DayOfWeek.MONDAY);
    public static final long WEEK_MILLIS = 7L * 24 * 3600 * 1000;
    /** Weeks of year the seasonality distinguishes; the rare 53rd week counts as the 52nd. */
    public static final int WEEKS_PER_YEAR = 52;

    public WeekCalendar {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(firstDay, "firstDay");
    }

    /** The local date of an instant in this calendar's zone. */
    public LocalDate dateOf(Instant at) {
        return LocalDate.ofInstant(at, zone);
    }

    /** First day of the week that contains {@code at}. */
    public LocalDate weekStart(Instant at) {
        return weekStart(dateOf(at));
    }

    public LocalDate weekStart(LocalDate date) {
        return date.with(TemporalAdjusters.previousOrSame(firstDay));
    }

    /** The instant the week starting on {@code weekStart} begins. */
    public Instant startOf(LocalDate weekStart) {
        return weekStart.atStartOfDay().toInstant(zone);
    }

    /** The instant the week starting on {@code weekStart} ends (exclusive): the next week's start. */
    public Instant endOf(LocalDate weekStart) {
        return startOf(weekStart.plusWeeks(1));
    }

    /** 0 for the first day of the week, 6 for the last. */
    public int dayIndex(Instant at) {
        return Math.floorMod(dateOf(at).getDayOfWeek().getValue() - firstDay.getValue(), 7);
    }

    /** 1..52: which week of its year a week is, by the day of year of its first day. */
    public static int weekOfYear(LocalDate weekStart) {
        return Math.min(WEEKS_PER_YEAR, (weekStart.getDayOfYear() - 1) / 7 + 1);
    }

    /** Whole weeks from {@code from} to {@code to} (both week starts). */
    public static int weeksBetween(LocalDate from, LocalDate to) {
        return (int) ChronoUnit.WEEKS.between(from, to);
    }
}
