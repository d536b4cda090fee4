package io.channelstream.api.trace;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * What a consumer sees when scanning a code: what it is, where it was made and from what, how it came
 * through the channel. Deliberately without commercial fields (prices, margins, order ids, dealer ids)
 * and without personal data (no other consumer's scans, no names of people).
 *
 * @param unitLevel ITEM, CASE or PALLET
 * @param channel   the way through the channel, oldest first: shipments and receipts, each between kinds
 *                  of place and regions, not named businesses
 */
public record TraceView(
        String code,
        String unitLevel,
        ProductInfo product,
        BatchInfo batch,
        List<StepInfo> rawMaterial,
        List<StepInfo> production,
        List<StepInfo> qualityChecks,
        List<String> qcReportRefs,
        List<ChannelStep> channel) {

    public record ProductInfo(String sku, String gtin, String name, String category, String sizeLabel,
                              Integer shelfLifeDays) {}

    public record BatchInfo(String batch, LocalDate productionDate, LocalDate expiryDate) {}

    /** @param attributes the step's facts, units in the key (e.g. sterilisationTempCelsius) */
    public record StepInfo(Instant occurredAt, String place, Map<String, String> attributes, String qcReportRef) {}

    /**
     * @param kind SHIPPED (from → to), or the scan that recorded it at a place: RECEIVED, SOLD, WAREHOUSE_SCAN,
     *             INSPECTED
     */
    public record ChannelStep(String kind, Instant occurredAt, Place from, Place to, Place at) {}

    /** @param kind the kind of place (CENTRAL_WAREHOUSE, REGIONAL_WAREHOUSE, DEALER, STORE, OTHER) */
    public record Place(String kind, String regionCode, String regionName) {}
}
