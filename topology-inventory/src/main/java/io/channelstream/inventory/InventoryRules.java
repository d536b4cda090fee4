package io.channelstream.inventory;

import java.time.Duration;
import java.time.ZoneId;

/**
 * The inventory topology's rules that are configuration rather than code.
 *
 * @param defaultExpiryWarningDays warning lead for a SKU whose product master data has not arrived
 * @param expiryReviewInterval     how often (wall clock) every position is re-checked for nearing
 *                                 expiry, since a batch ages without any event touching it
 * @param businessZone             the zone in which "today" is judged against expiry dates
 */
public record InventoryRules(int defaultExpiryWarningDays, Duration expiryReviewInterval, ZoneId businessZone) {

    /** Infant formula's 6-month warning is the strictest category rule; it is the fallback too. */
    public static InventoryRules defaults() {
        return new InventoryRules(180, Duration.ofHours(1), ZoneId.of("Asia/Shanghai"));
    }
}
