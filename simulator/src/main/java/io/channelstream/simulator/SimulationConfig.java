package io.channelstream.simulator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every knob of a simulation. Same config (seed included) → same master data and same events, byte for byte.
 *
 * @param seed              drives every random draw (java.util.SplittableRandom)
 * @param scale             multiplies dealers, distributors, stores and SKUs (1 = the seed's network:
 *                          120 tier-1 dealers, 800 tier-2 distributors, 300 stores, 520 SKUs); warehouses stay 1 + 7
 * @param historyWeeks      weeks of event-time history generated before "now" (history compression)
 * @param firstMonday       event-time day 0 of the history; must be a Monday (weeks are ISO weeks, UTC)
 * @param codeDomain        host part of the GS1 Digital Link codes printed on goods
 * @param eventIdPrefix     prefix of every event id, so two runs on one broker never share ids
 * @param anomaliesPerWeek  injected anomalies (and look-alikes) per simulated week, by kind
 * @param demand            the demand model's causes
 */
public record SimulationConfig(
        long seed,
        double scale,
        int historyWeeks,
        LocalDate firstMonday,
        String codeDomain,
        String eventIdPrefix,
        Map<AnomalyKind, Integer> anomaliesPerWeek,
        Demand demand) {

    public static final String DEFAULT_CODE_DOMAIN = "id.channelstream.example";

    /**
     * The causes behind sales, in the seed's own numbers.
     *
     * @param fridayLift           Friday's sales over an average day (the seed's "Friday +20%")
     * @param weeklyTrend          growth per week (0.003 = +0.3 %/week)
     * @param summerWipesLift      wipes' lift in June, July and August ("summer wipes +35%")
     * @param promoLift            sales multiplier in a buy-two-get-one week ("doubles sales")
     * @param promoWeeksPerSkuYear promotion weeks per SKU and year
     * @param diaperOrdersWithWipes share of orders with a diaper line that also hold wipes ("80%")
     * @param storeWeeklyUnits     mean weekly units of an average SKU at a core store
     * @param distributorWeeklyUnits mean weekly units of an average SKU sold out of a tier-2 depot
     */
    public record Demand(
            double fridayLift,
            double weeklyTrend,
            double summerWipesLift,
            double promoLift,
            double promoWeeksPerSkuYear,
            double diaperOrdersWithWipes,
            double storeWeeklyUnits,
            double distributorWeeklyUnits) {

        public static Demand seedDefaults() {
            return new Demand(1.20, 0.003, 1.35, 2.0, 2.0, 0.80, 3.0, 4.0);
        }
    }

    public SimulationConfig {
        Objects.requireNonNull(firstMonday, "firstMonday");
        if (firstMonday.getDayOfWeek() != DayOfWeek.MONDAY) {
            throw new IllegalArgumentException("firstMonday must be a Monday, was " + firstMonday.getDayOfWeek());
        }
        if (!(scale > 0) || scale > 100) {
            throw new IllegalArgumentException("scale must be in (0, 100], was " + scale);
        }
        if (historyWeeks < 0) {
            throw new IllegalArgumentException("historyWeeks must be >= 0, was " + historyWeeks);
        }
        anomaliesPerWeek = Map.copyOf(anomaliesPerWeek);
    }

    /** The seed's network and anomaly mix, history ending at the Monday of {@code today}'s week. */
    public static SimulationConfig defaults(long seed, double scale, int historyWeeks, LocalDate today) {
        LocalDate thisMonday = today.minusDays(today.getDayOfWeek().getValue() - 1L);
        return new SimulationConfig(seed, scale, historyWeeks, thisMonday.minusWeeks(historyWeeks),
                DEFAULT_CODE_DOMAIN, "sim" + seed, defaultAnomalies(), Demand.seedDefaults());
    }

    public static Map<AnomalyKind, Integer> defaultAnomalies() {
        Map<AnomalyKind, Integer> perWeek = new EnumMap<>(AnomalyKind.class);
        perWeek.put(AnomalyKind.DIVERSION, 4);
        perWeek.put(AnomalyKind.CLONED_CODE, 4);
        perWeek.put(AnomalyKind.UNKNOWN_CODE, 5);
        perWeek.put(AnomalyKind.PRICE_BELOW_FLOOR, 5);
        perWeek.put(AnomalyKind.CROSS_REGION_ORDER, 4);
        perWeek.put(AnomalyKind.CONSUMER_TRAVEL, 8);
        perWeek.put(AnomalyKind.APPROVED_TRANSFER, 2);
        perWeek.put(AnomalyKind.SCAN_BEFORE_SHIPMENT, 3);
        return perWeek;
    }

    public SimulationConfig withAnomalies(Map<AnomalyKind, Integer> perWeek) {
        return new SimulationConfig(seed, scale, historyWeeks, firstMonday, codeDomain, eventIdPrefix, perWeek, demand);
    }

    public SimulationConfig withEventIdPrefix(String prefix) {
        return new SimulationConfig(seed, scale, historyWeeks, firstMonday, codeDomain, prefix, anomaliesPerWeek,
                demand);
    }

    public int anomalies(AnomalyKind kind) {
        return anomaliesPerWeek.getOrDefault(kind, 0);
    }

    /** A count of the seed network scaled, never below {@code min}. */
    int scaled(int seedCount, int min) {
        return Math.max(min, (int) Math.round(seedCount * scale));
    }
}
