package io.channelstream.api.subscriptions;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A subscription as a partner system asks for it.
 *
 * @param regionCodes  events whose region lies inside one of these (GB/T 2260); with dealerIds empty too, the
 *                     token's own regions and dealers are used
 * @param dealerIds    events of these dealers
 * @param delivery     WEBHOOK (POSTed to webhookUrl, signed with secret) or SSE (read from the subscription's stream)
 * @param secret       HMAC key for the GS1-Signature header, at least 16 characters; write-only
 * @param maxAttempts  attempts before an event is parked as a dead letter (at most the server's limit)
 */
public record SubscriptionRequest(
        @NotEmpty @Size(max = 5) List<@NotNull PartnerEventType> eventTypes,
        @Size(max = 100) List<@NotNull String> regionCodes,
        @Size(max = 500) List<@NotNull String> dealerIds,
        @NotNull Delivery delivery,
        @Size(max = 2000) String webhookUrl,
        @Size(min = 16, max = 200) String secret,
        @Positive Integer maxAttempts) {

    public enum Delivery { WEBHOOK, SSE }

    public List<String> regionCodesOrEmpty() {
        return regionCodes == null ? List.of() : regionCodes;
    }

    public List<String> dealerIdsOrEmpty() {
        return dealerIds == null ? List.of() : dealerIds;
    }
}
