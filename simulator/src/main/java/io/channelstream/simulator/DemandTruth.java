package io.channelstream.simulator;

import java.time.LocalDate;

/**
 * True demand of one SKU at one dealer in one ISO week (Monday, UTC), as written to {@code demand.jsonl}.
 *
 * @param soldUnits     units in SALE stock movements at locations the dealer operates (its depot and its
 *                      stores) with {@code occurredAt} in that week: exactly what the event stream says was sold
 * @param expectedUnits the demand model's mean for the week (no noise, no stock-outs); absent (-1) for weeks
 *                      generated live, whose event time is the wall clock
 */
public record DemandTruth(String sku, String dealerId, LocalDate weekStart, long soldUnits, double expectedUnits) {}
