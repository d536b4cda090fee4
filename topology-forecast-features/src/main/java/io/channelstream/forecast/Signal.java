package io.channelstream.forecast;

import io.channelstream.events.LateEvent;
import io.channelstream.events.StockMovementRecorded;
import java.util.List;

/**
 * What the intake steps (orders, sales, stock) pass on, each already keyed for where it goes: the changes one
 * fact makes to a dealer's SKUs to the dealer step, its demand per SKU to the region step, late facts out.
 * One record per fact, not per line: an order of 42 lines is one record to its dealer and one to its region,
 * so a repartition carries orders, not lines.
 */
sealed interface Signal {

    /**
     * Units that left the dealer's channel (or came back: a cancellation is negative). A value carried inside
     * the signals, not a signal of its own.
     *
     * @param occurredAtMillis event time; decides the week and the day of week
     * @param promoUnits       of {@code units}, those ordered under a promotion
     * @param sold             true for a store sale (sell-out), false for an order (sell-in)
     */
    record Demand(long occurredAtMillis, long units, long revenueFen, long promoUnits, boolean sold) {

        /** A store sale: sell-out; a sale without a price still counts its units, its revenue as 0. */
        static Demand sellOut(StockMovementRecorded sale) {
            long units = sale.getQuantity();
            long revenue = sale.getUnitPriceFen() == null ? 0 : units * sale.getUnitPriceFen();
            return new Demand(sale.getOccurredAt().toEpochMilli(), units, revenue, 0, true);
        }

        /** One SKU's merged lines of an order ({@code line} = units, revenue in fen): sell-in. */
        static Demand sellIn(long occurredAtMillis, long[] line, boolean promo) {
            return new Demand(occurredAtMillis, line[0], line[1], promo ? line[0] : 0, false);
        }
    }

    /**
     * What one fact changes for one SKU of a dealer.
     *
     * @param demand         demand to count in its week, or null (a late order, a receipt, a stock position)
     * @param inTransitUnits change of the units on the dealer's open orders
     * @param availableUnits change of the available stock at the dealer's locations
     */
    record SkuChange(String sku, Demand demand, long inTransitUnits, long availableUnits) {}

    /** What one fact changes for a dealer, per SKU; key {@code dealerId}, so all of it lands in one task. */
    record ForDealer(List<SkuChange> changes) implements Signal {}

    /** One SKU's demand in a region. */
    record RegionalLine(String sku, long units, long revenueFen) {}

    /** Demand one fact brings to one region, per SKU; key {@code regionCode}. */
    record ForRegion(long occurredAtMillis, List<RegionalLine> lines) implements Signal {}

    /** A fact not counted because its week had closed; key of the fact. */
    record Late(LateEvent event) implements Signal {}
}
