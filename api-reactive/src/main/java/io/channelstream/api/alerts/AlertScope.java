package io.channelstream.api.alerts;

import io.channelstream.api.security.Caller;
import java.util.Map;

/**
 * {@link io.channelstream.api.security.AccessPolicy#canSeeAlert} stated as SQL over {@code alert_inbox}, so a
 * page is cut after scoping (filtering in memory would return short or empty pages). Region containment
 * is an overlap with {@code region_path}, the alert's region and its ancestors, so "inside province 44"
 * is "44 is on the path". Keep the two in step: {@code AlertInboxTest} checks them against each other.
 */
final class AlertScope {

    private AlertScope() {
    }

    /** Appends the caller's scope as {@code and (...)} to {@code sql}, adding its parameters. */
    static void append(Caller caller, StringBuilder sql, Map<String, Object> params) {
        switch (caller.role()) {
            case HQ -> { }
            case REGIONAL_MANAGER -> {
                sql.append(" and region_path && :scopeRegions::text[]");
                params.put("scopeRegions", caller.regionCodes().toArray(String[]::new));
            }
            case DEALER -> {
                if (caller.dealerId() == null) {
                    sql.append(" and false");
                } else {
                    sql.append(" and dealer_id = :scopeDealer");
                    params.put("scopeDealer", caller.dealerId());
                }
            }
            case PARTNER -> {
                sql.append(" and (region_path && :scopeRegions::text[] or dealer_id = any(:scopeDealers::text[]))");
                params.put("scopeRegions", caller.regionCodes().toArray(String[]::new));
                params.put("scopeDealers", caller.dealerIds().toArray(String[]::new));
            }
        }
    }
}
