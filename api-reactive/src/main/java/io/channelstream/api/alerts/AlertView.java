package io.channelstream.api.alerts;

import java.time.Instant;
import java.util.Map;

/**
 * One alert of the inbox as callers see it.
 *
 * @param sequence number of the alert's latest change; the SSE event id, and what {@code Last-Event-ID}
 *                 resumes from
 * @param state    OPEN, ACKNOWLEDGED or RESOLVED
 * @param resolution CLEARED (the condition cleared itself) or MANUAL, with the resolver's note
 */
public record AlertView(
        String alertId,
        long sequence,
        String alertType,
        String severity,
        String state,
        String conditionKey,
        String regionCode,
        String locationId,
        String dealerId,
        String sku,
        String batch,
        String code,
        String summary,
        Map<String, String> evidence,
        String source,
        Instant occurredAt,
        Instant receivedAt,
        String acknowledgedBy,
        Instant acknowledgedAt,
        String resolvedBy,
        Instant resolvedAt,
        String resolution) {

    public static final String OPEN = "OPEN";
    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    public static final String RESOLVED = "RESOLVED";
}
