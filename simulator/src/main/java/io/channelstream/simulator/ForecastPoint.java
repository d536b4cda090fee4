package io.channelstream.simulator;

import java.time.LocalDate;

/** One forecast the system made: units of a SKU a dealer will sell in the ISO week starting {@code weekStart}. */
public record ForecastPoint(String sku, String dealerId, LocalDate weekStart, double forecastUnits) {}
