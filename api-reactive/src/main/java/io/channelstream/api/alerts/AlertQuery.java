package io.channelstream.api.alerts;

import io.channelstream.api.web.BadRequestException;
import io.channelstream.events.AlertType;
import io.channelstream.events.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Filters of an inbox listing, validated: each bad value is refused naming its parameter.
 *
 * @param regionCode alerts whose region lies inside this code (region-tree containment)
 * @param from       occurredAt at or after (inclusive)
 * @param to         occurredAt before (exclusive)
 * @param cursor     where the previous page ended; null for the first page
 */
public record AlertQuery(
        String regionCode,
        String alertType,
        String severity,
        String state,
        Instant from,
        Instant to,
        int limit,
        Cursor cursor) {

    private static final Set<String> STATES = Set.of(AlertView.OPEN, AlertView.ACKNOWLEDGED, AlertView.RESOLVED);

    /** The last row of a page: listing is ordered by occurredAt, then alertId, both descending. */
    public record Cursor(Instant occurredAt, String alertId) {

        String encode() {
            String raw = occurredAt.toEpochMilli() + "|" + alertId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int bar = raw.indexOf('|');
                return new Cursor(Instant.ofEpochMilli(Long.parseLong(raw.substring(0, bar))), raw.substring(bar + 1));
            } catch (RuntimeException e) {
                throw BadRequestException.invalid("cursor", "not a cursor this API handed out");
            }
        }
    }

    public static AlertQuery parse(String regionCode, String alertType, String severity, String state, String from,
                                   String to, Integer limit, String cursor, int maxPageSize) {
        String type = null;
        if (alertType != null) {
            type = alertType.toUpperCase(Locale.ROOT);
            if (AlertType.getClassSchema().getEnumSymbols().stream().noneMatch(type::equals)) {
                throw BadRequestException.invalid("type", "unknown alert type '" + alertType + "'; known: "
                        + AlertType.getClassSchema().getEnumSymbols());
            }
        }
        String sev = null;
        if (severity != null) {
            sev = severity.toUpperCase(Locale.ROOT);
            if (Severity.getClassSchema().getEnumSymbols().stream().noneMatch(sev::equals)) {
                throw BadRequestException.invalid("severity", "unknown severity '" + severity + "'; known: "
                        + Severity.getClassSchema().getEnumSymbols());
            }
        }
        String st = null;
        if (state != null) {
            st = state.toUpperCase(Locale.ROOT);
            if (!STATES.contains(st)) {
                throw BadRequestException.invalid("state", "unknown state '" + state + "'; known: " + STATES);
            }
        }
        int size = limit == null ? 50 : limit;
        if (size < 1 || size > maxPageSize) {
            throw BadRequestException.invalid("limit", "must be between 1 and " + maxPageSize + ", was " + size);
        }
        return new AlertQuery(regionCode, type, sev, st, instant("from", from), instant("to", to), size,
                cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor));
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw BadRequestException.invalid(field, "not an ISO-8601 instant such as 2026-11-22T08:00:00Z: '"
                    + value + "'");
        }
    }
}
