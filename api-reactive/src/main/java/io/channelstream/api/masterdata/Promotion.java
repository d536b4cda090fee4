package io.channelstream.api.masterdata;

import java.time.LocalDate;

/**
 * A promotion the brand plans: a SKU in a region over CST calendar days ({@code lastDay} inclusive).
 *
 * @param regionCode   GB/T 2260 code at any level, or {@code 000000} for the whole country
 * @param mechanism    PromotionMechanism name, e.g. BUY_TWO_GET_ONE
 * @param expectedLift the demand multiplier the planner expects, or null
 */
public record Promotion(
        String promotionId,
        String sku,
        String regionCode,
        LocalDate firstDay,
        LocalDate lastDay,
        String mechanism,
        Double expectedLift) {}
