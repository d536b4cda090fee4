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

    private boolean partnerCovers(Caller caller, Location location) {
        return (location.dealerId() != null && caller.dealerIds().contains(location.dealerId()))
                || regions.containedInAny(caller.regionCodes(), location.regionCode());
    }
}
