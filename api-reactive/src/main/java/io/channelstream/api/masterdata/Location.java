package io.channelstream.api.masterdata;

/**
 * A place that holds stock: a warehouse, a dealer's depot or a store.
 *
 * @param regionCode GB/T 2260 code of the county (or city/province) the location lies in
 * @param dealerId   the dealer operating it, or null for the brand's own warehouses
 */
public record Location(
        String locationId,
        String name,
        String kind,
        String regionCode,
        double latitude,
        double longitude,
        String parentLocationId,
        String dealerId,
        Integer safetyStockUnits) {}
