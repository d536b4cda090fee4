/**
 * Forecast features and order suggestions: weekly demand per dealer × SKU and region × SKU in China
 * Standard Time weeks, promotion lift, day-of-week shape, category seasonality with its 60-day alert,
 * exact co-purchase counts, forecasts beside a seasonal-naive baseline, and order suggestions that
 * carry their inputs. {@link io.channelstream.forecast.ForecastTopology} builds it,
 * {@link io.channelstream.forecast.ForecastReads} reads it; the math lives in {@code .model} (no Kafka)
 * and is replayed by {@code .backtest.Backtest}. See docs/forecast.md.
 */
package io.channelstream.forecast;
