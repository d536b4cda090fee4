package io.channelstream.forecast;

import io.channelstream.events.LateEvent;
import io.channelstream.events.StockMovementRecorded;

/**
 * What the intake steps (orders, sales, stock) pass on, each already keyed for where it goes: demand
 * and stock changes to the dealer × SKU step, demand to the region × SKU step, late facts out.
 */
sealed interface Signal {

    /** A change to one dealer × SKU; key {@code dealerId|sku}. */
    sealed interface ForDealer extends Signal {}

    /**
     * Units that left the dealer's channel (or came back: a cancellation is negative).
     *
     * @param occurredAtMillis event time; decides the week and the day of week
     * @param promoUnits       of {@code units}, those ordered under a promotion
     * @param sold             true for a store sale (sell-out), false for an order (sell-in)
     */
    record Demand(long occurredAtMillis, long units, long revenueFen, long promoUnits, boolean sold)
            implements ForDealer {

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

    /** Units on the dealer's open orders changed; key {@code dealerId|sku}. */
    record InTransit(long units) implements ForDealer {}

    /** Available stock at the dealer's locations changed; key {@code dealerId|sku}. */
    record Available(long units) implements ForDealer {}

    /** Demand in one region; key {@code regionCode|sku}. */
    record RegionalDemand(long occurredAtMillis, long units, long revenueFen) implements Signal {}

    /** A fact not counted because its week had closed; key of the fact. */
    record Late(LateEvent event) implements Signal {}
}
