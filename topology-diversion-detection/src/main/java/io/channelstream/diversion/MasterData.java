package io.channelstream.diversion;

import io.channelstream.events.AuthorizationPeriod;
import io.channelstream.events.DealerAuthorizationHistory;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.PricePeriod;
import io.channelstream.events.RegionalPriceHistory;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The master data a rule needs, read from this instance's global stores: every instance holds all of it
 * (thousands of dealers and locations, tens of thousands of prices), so a scan on any partition can
 * be judged without another hop.
 */
final class MasterData {

    private final KeyValueStore<String, LocationUpserted> locations;
    private final KeyValueStore<String, DealerAuthorizationHistory> dealers;
    private final KeyValueStore<String, RegionalPriceHistory> prices;
    private final RegionTree regions;

    MasterData(ProcessingContext context, RegionTree regions) {
        this.locations = context.getStateStore(DiversionTopology.LOCATIONS_STORE);
        this.dealers = context.getStateStore(DiversionTopology.DEALER_AUTHORIZATIONS_STORE);
        this.prices = context.getStateStore(DiversionTopology.REGIONAL_PRICES_STORE);
        this.regions = regions;
    }

    Optional<LocationUpserted> location(String locationId) {
        return Optional.ofNullable(locationId == null ? null : locations.get(locationId));
    }

    Optional<DealerAuthorizationHistory> dealer(String dealerId) {
        return Optional.ofNullable(dealerId == null ? null : dealers.get(dealerId));
    }

    /**
     * The dealer's authorized regions in force at {@code at}: the period with the latest effectiveFrom not
     * after it. Empty when the dealer is unknown or {@code at} precedes its first known authorization: a
     * change applies from its effective time, never backwards.
     */
    Optional<List<String>> authorizedRegionsAt(String dealerId, Instant at) {
        return dealer(dealerId).flatMap(history -> periodAt(history, at)).map(AuthorizationPeriod::getRegionCodes);
    }

    static Optional<AuthorizationPeriod> periodAt(DealerAuthorizationHistory history, Instant at) {
        AuthorizationPeriod inForce = null;
        for (AuthorizationPeriod period : history.getPeriods()) {
            if (!period.getEffectiveFrom().isAfter(at)) {
                inForce = period; // periods are oldest first
            }
        }
        return Optional.ofNullable(inForce);
    }

    /** Region of the regional manager answerable for the dealer, else its first authorized region then. */
    Optional<String> managerRegion(String dealerId, Instant at) {
        Optional<DealerAuthorizationHistory> dealer = dealer(dealerId);
        if (dealer.isPresent() && dealer.get().getRegionalManagerRegionCode() != null) {
            return Optional.of(dealer.get().getRegionalManagerRegionCode());
        }
        return authorizedRegionsAt(dealerId, at).filter(codes -> !codes.isEmpty()).map(codes -> codes.get(0));
    }

    /**
     * The price of a SKU for a place at a time: the most specific region (county, then city, then province)
     * that has a price in force then.
     */
    Optional<PricePeriod> priceAt(String sku, String regionCode, Instant at) {
        for (String candidate : selfAndAncestors(regionCode)) {
            RegionalPriceHistory history = prices.get(Topics.key(sku, candidate));
            if (history == null) {
                continue;
            }
            PricePeriod inForce = null;
            for (PricePeriod period : history.getPeriods()) {
                if (!period.getEffectiveFrom().isAfter(at)) {
                    inForce = period;
                }
            }
            if (inForce != null) {
                return Optional.of(inForce);
            }
        }
        return Optional.empty();
    }

    private List<String> selfAndAncestors(String regionCode) {
        List<String> chain = new ArrayList<>(3);
        for (Optional<RegionTree.Region> region = regions.region(regionCode); region.isPresent();
             region = regions.region(region.get().parentCode())) {
            chain.add(region.get().code());
        }
        return chain;
    }
}
