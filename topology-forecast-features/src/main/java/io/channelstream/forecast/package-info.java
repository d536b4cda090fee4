/**
 * Forecast features and order suggestions: weekly sales per SKU × dealer and region, promotion lift,
 * seasonality, co-purchase. Built under its own issue.
 */
package io.channelstream.forecast;
