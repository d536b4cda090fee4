package io.channelstream.forecast;

import io.channelstream.events.LateEvent;
import io.channelstream.forecast.model.WeekCalendar;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Decides whether a fact is still on time for its week: a week closes {@code grace} after it ends, in
 * stream time (the newest event time this task has seen), and a fact of a closed week is not counted
 * but reported as late, with the reason.
 */
final class WeekClock {

    private final WeekCalendar calendar;
    private final long graceMillis;

    WeekClock(ForecastConfig config) {
        this.calendar = config.weeks();
        this.graceMillis = config.graceMillis();
    }

    WeekCalendar calendar() {
        return calendar;
    }

    /** When the week holding {@code occurredAtMillis} stops accepting facts. */
    long closesAt(long occurredAtMillis) {
        LocalDate week = calendar.weekStart(Instant.ofEpochMilli(occurredAtMillis));
        return calendar.endOf(week).toEpochMilli() + graceMillis;
    }

    boolean isClosed(long occurredAtMillis, long streamTimeMillis) {
        return streamTimeMillis >= closesAt(occurredAtMillis);
    }

    LateEvent lateEvent(String factTopic, String factEventId, String factKind, String dealerId, long units,
                        long occurredAtMillis, long streamTimeMillis, String reason) {
        LocalDate week = calendar.weekStart(Instant.ofEpochMilli(occurredAtMillis));
        long closedAt = closesAt(occurredAtMillis);
        return LateEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.ofEpochMilli(occurredAtMillis))
                .setSource(ForecastTopology.SOURCE)
                .setFactTopic(factTopic)
                .setFactEventId(factEventId)
                .setFactKind(factKind)
                .setDealerId(dealerId)
                .setUnits(units)
                .setWeekStart(week)
                .setWeekClosedAt(Instant.ofEpochMilli(closedAt))
                .setStreamTimeAt(Instant.ofEpochMilli(streamTimeMillis))
                .setLateByMillis(streamTimeMillis - closedAt)
                .setReason(reason + " (week of " + week + " closed at " + Instant.ofEpochMilli(closedAt)
                        + ", grace " + Duration.ofMillis(graceMillis) + ")")
                .build();
    }
}
