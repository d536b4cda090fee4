package io.channelstream.api.masterdata;

import io.channelstream.events.PromotionMechanism;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.LocalDate;

/**
 * A promotion as HQ plans it.
 *
 * @param promotionId  the brand's id; a new one is made when absent. Recording the same id of the same SKU again
 *                     replaces the promotion.
 * @param regionCode   GB/T 2260 code at any level, or {@code 000000} for the whole country
 * @param firstDay     first CST calendar day
 * @param lastDay      last CST calendar day, inclusive
 * @param expectedLift the demand multiplier expected (2.0 = twice the usual), optional; the forecast measures its
 *                     own lift from past promotion weeks and uses this only until it can
 */
public record PromotionRequest(
        String promotionId,
        @NotBlank String sku,
        @NotBlank String regionCode,
        @NotNull LocalDate firstDay,
        @NotNull LocalDate lastDay,
        @NotNull PromotionMechanism mechanism,
        @Positive Double expectedLift) {}
