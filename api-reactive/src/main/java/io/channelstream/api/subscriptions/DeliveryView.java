package io.channelstream.api.subscriptions;

import java.time.Instant;

/**
 * One event queued for a subscription, as its partner sees it (dead letters, pending deliveries).
 *
 * @param sequence the event's number within the subscription (its SSE event id)
 * @param lastError why the last attempt failed (status code, timeout, refused connection)
 */
public record DeliveryView(
        long sequence,
        String eventId,
        String eventType,
        String orderingKey,
        String state,
        int attempts,
        Instant occurredAt,
        Instant lastAttemptAt,
        String lastError,
        Instant deliveredAt) {}
