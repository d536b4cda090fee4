package io.channelstream.api.masterdata;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Instant;

/**
 * A regional price as HQ sets it; SKU and region are in the path.
 *
 * @param effectiveFrom from when it applies (default now); a sale is checked against the price in force then
 */
public record RegionalPriceRequest(
        @NotNull @PositiveOrZero Long listPriceFen,
        @NotNull @PositiveOrZero Long floorPriceFen,
        Instant effectiveFrom) {}
