package io.channelstream.simulator;

import io.channelstream.events.DealerUpserted;
import io.channelstream.events.LocationKind;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.ProductCategory;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.RegionAuthorization;
import io.channelstream.events.RegionalPriceUpserted;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated brand's master data: warehouses, dealers and their depots, stores, SKUs, regional price
 * table, and who sells what how much. Built by {@link WorldBuilder} from a seed; immutable.
 */
public final class World {

    /** A place that holds stock, as {@code LocationUpserted} describes it. */
    public record Site(String locationId, String name, LocationKind kind, String regionCode, double latitude,
                       double longitude, String parentLocationId, String dealerId, Integer safetyStockUnits) {}

    /**
     * A tier-1 dealer or tier-2 distributor.
     *
     * @param authorizedRegionCodes GB/T 2260 codes at any level (tier-1: a city, tier-2: a county)
     * @param parentDealerId        the tier-1 dealer a tier-2 distributor orders from; null for tier-1
     */
    public record Dealer(String dealerId, String name, int tier, List<String> authorizedRegionCodes,
                         String depotLocationId, String parentDealerId, String regionalManagerRegionCode) {}

    /** A SKU with its case size, base price and how well it sells compared to others. */
    public record Product(String sku, String gtin, String name, ProductCategory category, String sizeLabel,
                          int shelfLifeDays, int expiryWarningDays, int unitsPerCase, long basePriceFen,
                          double popularity) {}

    /** One row of the regional price table; the most specific code containing a place applies there. */
    public record RegionalPrice(String sku, String regionCode, long listPriceFen, long floorPriceFen) {}

    private final Regions regions;
    private final Map<String, Site> sites;
    private final Map<String, Dealer> dealers;
    private final Map<String, Product> products;
    private final Map<String, RegionalPrice> prices;
    private final Map<String, List<String>> assortment;
    private final Map<String, Double> baseWeeklyUnits;
    private final Map<String, List<String>> suppliedBy;

    World(Regions regions, Map<String, Site> sites, Map<String, Dealer> dealers, Map<String, Product> products,
          Map<String, RegionalPrice> prices, Map<String, List<String>> assortment,
          Map<String, Double> baseWeeklyUnits) {
        this.regions = regions;
        this.sites = Map.copyOf(sites);
        this.dealers = Map.copyOf(dealers);
        this.products = Map.copyOf(products);
        this.prices = Map.copyOf(prices);
        this.assortment = Map.copyOf(assortment);
        this.baseWeeklyUnits = Map.copyOf(baseWeeklyUnits);
        this.siteOrder = List.copyOf(sites.values());
        this.dealerOrder = List.copyOf(dealers.values());
        this.productOrder = List.copyOf(products.values());
        this.priceOrder = List.copyOf(prices.values());
        Map<String, List<String>> children = new LinkedHashMap<>();
        for (Site site : siteOrder) {
            if (site.parentLocationId() != null) {
                children.computeIfAbsent(site.parentLocationId(), k -> new ArrayList<>()).add(site.locationId());
            }
        }
        this.suppliedBy = Map.copyOf(children);
    }

    // insertion order kept separately: Map.copyOf does not keep it, and order is part of determinism
    private final List<Site> siteOrder;
    private final List<Dealer> dealerOrder;
    private final List<Product> productOrder;
    private final List<RegionalPrice> priceOrder;

    public Regions regions() {
        return regions;
    }

    public List<Site> sites() {
        return siteOrder;
    }

    public List<Site> sites(LocationKind kind) {
        return siteOrder.stream().filter(s -> s.kind() == kind).toList();
    }

    /** Depots of tier-1 dealers ({@code tier} = 1) or tier-2 distributors (2). */
    public List<Site> depots(int tier) {
        return dealerOrder.stream().filter(d -> d.tier() == tier).map(d -> sites.get(d.depotLocationId())).toList();
    }

    public Site site(String locationId) {
        Site site = sites.get(locationId);
        if (site == null) {
            throw new IllegalArgumentException("unknown location " + locationId);
        }
        return site;
    }

    public List<Dealer> dealers() {
        return dealerOrder;
    }

    public Dealer dealer(String dealerId) {
        Dealer dealer = dealers.get(dealerId);
        if (dealer == null) {
            throw new IllegalArgumentException("unknown dealer " + dealerId);
        }
        return dealer;
    }

    public List<Product> products() {
        return productOrder;
    }

    public Product product(String sku) {
        Product product = products.get(sku);
        if (product == null) {
            throw new IllegalArgumentException("unknown SKU " + sku);
        }
        return product;
    }

    public List<RegionalPrice> prices() {
        return priceOrder;
    }

    /** The price row that applies at {@code regionCode}: county row, else city row, else province row. */
    public RegionalPrice priceAt(String sku, String regionCode) {
        for (int length = regionCode.length(); length >= 2; length -= 2) {
            RegionalPrice row = prices.get(Topics.key(sku, regionCode.substring(0, length)));
            if (row != null) {
                return row;
            }
        }
        throw new IllegalStateException("no price row for " + sku + " at " + regionCode);
    }

    /** SKUs a location stocks, in a fixed order. */
    public List<String> assortment(String locationId) {
        return assortment.getOrDefault(locationId, List.of());
    }

    /** Mean weekly units sold to consumers at a location, before day-of-week, trend, season and promotions. */
    public double baseWeeklyUnits(String locationId, String sku) {
        return baseWeeklyUnits.getOrDefault(Topics.key(locationId, sku), 0.0);
    }

    /** Locations this one supplies (a dealer's stores, a warehouse's dealers). */
    public List<String> supplied(String locationId) {
        return suppliedBy.getOrDefault(locationId, List.of());
    }

    /** True when {@code regionCode} lies inside one of the dealer's authorized regions. */
    public boolean authorizedAt(Dealer dealer, String regionCode) {
        return regions.tree().containedInAny(dealer.authorizedRegionCodes(), regionCode);
    }

    public Optional<Dealer> operatorOf(String locationId) {
        return Optional.ofNullable(site(locationId).dealerId()).map(dealers::get);
    }

    /** The master-data events of this world, all stamped {@code at}, in a fixed order. */
    public List<SimEvent> masterDataEvents(Instant at, String eventIdPrefix) {
        List<SimEvent> events = new ArrayList<>();
        int n = 0;
        for (Product p : productOrder) {
            events.add(new SimEvent(Topics.PRODUCTS, p.sku(), ProductUpserted.newBuilder()
                    .setEventId(eventIdPrefix + "-md-" + (n++)).setOccurredAt(at).setSource("simulator")
                    .setSku(p.sku()).setGtin(p.gtin()).setName(p.name()).setCategory(p.category())
                    .setSizeLabel(p.sizeLabel()).setShelfLifeDays(p.shelfLifeDays())
                    .setExpiryWarningDays(p.expiryWarningDays()).build()));
        }
        for (Dealer d : dealerOrder) {
            events.add(new SimEvent(Topics.DEALERS, d.dealerId(), DealerUpserted.newBuilder()
                    .setEventId(eventIdPrefix + "-md-" + (n++)).setOccurredAt(at).setSource("simulator")
                    .setDealerId(d.dealerId()).setName(d.name()).setTier(d.tier())
                    .setAuthorizedRegionCodes(d.authorizedRegionCodes()).setEffectiveFrom(at)
                    .setRegionalManagerRegionCode(d.regionalManagerRegionCode())
                    .setAuthorizationHistory(List.of(RegionAuthorization.newBuilder()
                            .setRegionCodes(d.authorizedRegionCodes()).setEffectiveFrom(at).build()))
                    .build()));
        }
        for (Site s : siteOrder) {
            events.add(new SimEvent(Topics.LOCATIONS, s.locationId(), LocationUpserted.newBuilder()
                    .setEventId(eventIdPrefix + "-md-" + (n++)).setOccurredAt(at).setSource("simulator")
                    .setLocationId(s.locationId()).setName(s.name()).setKind(s.kind())
                    .setRegionCode(s.regionCode()).setLatitude(s.latitude()).setLongitude(s.longitude())
                    .setParentLocationId(s.parentLocationId()).setDealerId(s.dealerId())
                    .setSafetyStockUnits(s.safetyStockUnits()).build()));
        }
        for (RegionalPrice r : priceOrder) {
            events.add(new SimEvent(Topics.REGIONAL_PRICES, Topics.key(r.sku(), r.regionCode()),
                    RegionalPriceUpserted.newBuilder()
                            .setEventId(eventIdPrefix + "-md-" + (n++)).setOccurredAt(at).setSource("simulator")
                            .setSku(r.sku()).setRegionCode(r.regionCode()).setListPriceFen(r.listPriceFen())
                            .setFloorPriceFen(r.floorPriceFen()).setEffectiveFrom(at).build()));
        }
        return events;
    }

    /** Counts by kind, for logs and run.json. */
    public Map<String, Integer> census() {
        Map<String, Integer> census = new LinkedHashMap<>();
        for (LocationKind kind : LocationKind.values()) {
            int count = sites(kind).size();
            if (count > 0) {
                census.put(kind.name().toLowerCase() + "Locations", count);
            }
        }
        census.put("tier1Dealers", (int) dealerOrder.stream().filter(d -> d.tier() == 1).count());
        census.put("tier2Distributors", (int) dealerOrder.stream().filter(d -> d.tier() == 2).count());
        census.put("skus", productOrder.size());
        census.put("priceRows", priceOrder.size());
        return census;
    }

    static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
        double r = 6371.0;
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * r * Math.asin(Math.sqrt(a));
    }

    static <T> List<T> copy(Collection<T> values) {
        return List.copyOf(values);
    }
}
