package io.channelstream.api.masterdata;

import java.time.Instant;

/** List and floor price per consumer unit, in fen, of a SKU in a region from a time on. */
public record RegionalPrice(
        String sku,
        String regionCode,
        Instant effectiveFrom,
        long listPriceFen,
        long floorPriceFen) {}
