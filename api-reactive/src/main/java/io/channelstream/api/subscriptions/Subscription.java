package io.channelstream.api.subscriptions;

import java.time.Instant;
import java.util.List;

/** A partner subscription as the API shows it (the secret never leaves). */
public record Subscription(
        String subscriptionId,
        String partnerId,
        List<String> eventTypes,
        List<String> regionCodes,
        List<String> dealerIds,
        String delivery,
        String webhookUrl,
        int maxAttempts,
        boolean active,
        Instant createdAt,
        Instant updatedAt) {}
