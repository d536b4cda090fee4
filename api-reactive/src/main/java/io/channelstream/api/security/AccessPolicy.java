package io.channelstream.api.security;

import io.channelstream.api.masterdata.Location;
import io.channelstream.regions.RegionTree;
import org.springframework.stereotype.Component;

/**
 * The one place that decides what a caller may see or change. Endpoints ask it; none decides on
 * its own. Region scope is by region-tree containment: a manager of province 44 sees county 440106.
 */
@Component
public class AccessPolicy {

    private final RegionTree regions;

    public AccessPolicy(RegionTree regions) {
        this.regions = regions;
    }

    public boolean canSeeLocation(Caller caller, Location location) {
        return switch (caller.role()) {
            case HQ -> true;
            case REGIONAL_MANAGER -> regions.containedInAny(caller.regionCodes(), location.regionCode());
            case DEALER -> caller.dealerId() != null && caller.dealerId().equals(location.dealerId());
            case PARTNER -> partnerCovers(caller, location);
        };
    }

    /** Recording stock facts: HQ anywhere, a dealer at its own locations, a partner system in its scope. */
    public boolean canRecordStockAt(Caller caller, Location location) {
        return switch (caller.role()) {
            case HQ -> true;
            case REGIONAL_MANAGER -> false;
            case DEALER -> caller.dealerId() != null && caller.dealerId().equals(location.dealerId());
            case PARTNER -> partnerCovers(caller, location);
        };
    }

    public boolean canSeeRegion(Caller caller, String regionCode) {
        return switch (caller.role()) {
            case HQ -> true;
            case REGIONAL_MANAGER, PARTNER -> regions.containedInAny(caller.regionCodes(), regionCode);
            case DEALER -> false;
        };
    }

    public boolean canSeeDealer(Caller caller, String dealerId) {
        return switch (caller.role()) {
            case HQ -> true;
            case DEALER -> dealerId.equals(caller.dealerId());
            case PARTNER -> caller.dealerIds().contains(dealerId);
            case REGIONAL_MANAGER -> false; // decided by the dealer's region once dealers carry one
        };
    }

    public boolean canManageMasterData(Caller caller) {
        return caller.role() == Role.HQ;
    }

    /**
     * Alerts (inbox, live stream): HQ all; a regional manager those whose region lies inside theirs; a
     * dealer its own; a partner system those in its regions or of its dealers. {@code AlertScope} states
     * the same rule in SQL for paginated listing.
     */
    public boolean canSeeAlert(Caller caller, String regionCode, String dealerId) {
        return switch (caller.role()) {
            case HQ -> true;
            case REGIONAL_MANAGER -> regions.containedInAny(caller.regionCodes(), regionCode);
            case DEALER -> dealerId != null && dealerId.equals(caller.dealerId());
            case PARTNER -> regions.containedInAny(caller.regionCodes(), regionCode)
                    || (dealerId != null && caller.dealerIds().contains(dealerId));
        };
    }

    /** Acknowledging or resolving an alert is a person's act: partner systems read alerts, never handle them. */
    public boolean canHandleAlert(Caller caller, String regionCode, String dealerId) {
        return caller.role() != Role.PARTNER && canSeeAlert(caller, regionCode, dealerId);
    }

    /** Partner subscriptions belong to the partner system whose token creates them. */
    public boolean canManageSubscriptions(Caller caller) {
        return caller.role() == Role.PARTNER && caller.partnerId() != null;
    }

    /**
     * A dealer's record and diversion score: HQ; the dealer itself; a partner naming it; a regional manager
     * whose regions overlap the dealer's (either contains the other: a province manager sees a county
     * dealer, a city manager sees a province-wide dealer serving the city).
     */
    public boolean canSeeDealerRecord(Caller caller, String dealerId, java.util.Collection<String> dealerRegionCodes) {
        return switch (caller.role()) {
            case HQ -> true;
            case DEALER -> dealerId.equals(caller.dealerId());
            case PARTNER -> caller.dealerIds().contains(dealerId);
            case REGIONAL_MANAGER -> dealerRegionCodes.stream().anyMatch(code ->
                    regions.containedInAny(caller.regionCodes(), code)
                            || caller.regionCodes().stream().anyMatch(own -> regions.contains(code, own)));
        };
    }

    /**
     * A trace code's bindings and sightings: HQ; a dealer it was bound to; a partner naming such a dealer
     * or covering a region involved; a regional manager whose regions contain a region involved (bound or
     * scanned).
     */
    public boolean canSeeCodeTrail(Caller caller, java.util.Collection<String> dealerIds,
                                   java.util.Collection<String> regionCodes) {
        return switch (caller.role()) {
            case HQ -> true;
            case DEALER -> caller.dealerId() != null && dealerIds.contains(caller.dealerId());
            case PARTNER -> dealerIds.stream().anyMatch(caller.dealerIds()::contains)
                    || regionCodes.stream().anyMatch(code -> regions.containedInAny(caller.regionCodes(), code));
            case REGIONAL_MANAGER ->
                    regionCodes.stream().anyMatch(code -> regions.containedInAny(caller.regionCodes(), code));
        };
    }

    /**
     * Recording a scan: HQ anywhere; a regional manager (an inspector's scan) inside its regions; a dealer
     * at its own locations; a partner system (a store chain, a consumer app) at its locations or regions.
     * {@code location} is null when the scan names only a region.
     */
    public boolean canRecordScan(Caller caller, Location location, String regionCode) {
        return switch (caller.role()) {
            case HQ -> true;
            case REGIONAL_MANAGER -> regions.containedInAny(caller.regionCodes(), regionCode);
            case DEALER -> location != null && caller.dealerId() != null
                    && caller.dealerId().equals(location.dealerId());
            case PARTNER -> (location != null && partnerCovers(caller, location))
                    || regions.containedInAny(caller.regionCodes(), regionCode);
        };
    }

    private boolean partnerCovers(Caller caller, Location location) {
        return (location.dealerId() != null && caller.dealerIds().contains(location.dealerId()))
                || regions.containedInAny(caller.regionCodes(), location.regionCode());
    }
}
