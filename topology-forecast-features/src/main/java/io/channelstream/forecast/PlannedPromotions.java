package io.channelstream.forecast;

import io.channelstream.events.PromotionPlanned;
import io.channelstream.forecast.model.PromotionCalendar;
import io.channelstream.regions.RegionTree;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The promotion calendar one dealer sees for one SKU, from the brand's planned promotions
 * ({@code master.promotions}): a week (Monday to Sunday, CST days) is a promotion week when at least 4 of its 7
 * days lie in a promotion of the SKU whose region overlaps one of the dealer's authorized regions (one lies
 * inside the other; {@value #NATIONWIDE} is the whole country). A dealer whose regions are not known sees the
 * nationwide promotions only. The topology and the backtest build it the same way.
 */
public final class PlannedPromotions implements PromotionCalendar {

    /** Region code of a promotion that runs in the whole country. */
    public static final String NATIONWIDE = "000000";
    /** Days of a week that must be in the promotion for the week to count as a promotion week (most of it). */
    static final int DAYS_FOR_A_PROMOTION_WEEK = 4;

    private final String sku;
    private final List<PromotionPlanned> promotions;

    private PlannedPromotions(String sku, List<PromotionPlanned> promotions) {
        this.sku = sku;
        this.promotions = promotions;
    }

    /**
     * @param promotionsOfSku the SKU's planned promotions (others are ignored)
     * @param dealerRegions   the dealer's authorized GB/T 2260 codes; empty when the dealer is not known
     */
    public static PlannedPromotions of(String sku, Collection<PromotionPlanned> promotionsOfSku,
                                       Collection<String> dealerRegions) {
        RegionTree regions = RegionTree.china();
        return new PlannedPromotions(sku, promotionsOfSku.stream()
                .filter(p -> p.getSku().equals(sku))
                .filter(p -> !p.getLastDay().isBefore(p.getFirstDay()))
                .filter(p -> NATIONWIDE.equals(p.getRegionCode()) || dealerRegions.stream().anyMatch(
                        r -> regions.contains(p.getRegionCode(), r) || regions.contains(r, p.getRegionCode())))
                .toList());
    }

    @Override
    public boolean promoted(String sku, LocalDate weekStart) {
        return promotionOf(sku, weekStart) != null;
    }

    @Override
    public OptionalDouble expectedLift(String sku, LocalDate weekStart) {
        PromotionPlanned promotion = promotionOf(sku, weekStart);
        return promotion == null || promotion.getExpectedLift() == null ? OptionalDouble.empty()
                : OptionalDouble.of(promotion.getExpectedLift());
    }

    /** True when the dealer is in no promotion of the SKU at all: the calendar says nothing. */
    public boolean isEmpty() {
        return promotions.isEmpty();
    }

    private PromotionPlanned promotionOf(String sku, LocalDate weekStart) {
        if (!this.sku.equals(sku)) {
            return null;
        }
        LocalDate weekEnd = weekStart.plusDays(6);
        for (PromotionPlanned p : promotions) {
            LocalDate from = p.getFirstDay().isAfter(weekStart) ? p.getFirstDay() : weekStart;
            LocalDate to = p.getLastDay().isBefore(weekEnd) ? p.getLastDay() : weekEnd;
            if (!to.isBefore(from) && to.toEpochDay() - from.toEpochDay() + 1 >= DAYS_FOR_A_PROMOTION_WEEK) {
                return p;
            }
        }
        return null;
    }
}
