package io.channelstream.simulator;

import io.channelstream.events.LocationKind;
import io.channelstream.events.ProductCategory;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.World.Dealer;
import io.channelstream.simulator.World.Product;
import io.channelstream.simulator.World.RegionalPrice;
import io.channelstream.simulator.World.Site;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Builds the brand's network from a seed: 1 central + 7 regional warehouses, tier-1 dealers each
 * authorized for a city, tier-2 distributors each for a county inside their dealer's city, core stores
 * run by distributors in their county, SKUs in six categories, and the regional price table.
 * Coordinates are the province capital plus jitter (enough for distances between provinces).
 */
public final class WorldBuilder {

    /** Regional warehouses: id suffix and the province they sit in (the brand's seven sales regions). */
    private static final List<String[]> REGIONAL_WAREHOUSES = List.of(
            new String[] {"NORTH", "11"}, new String[] {"NORTHEAST", "21"}, new String[] {"EAST", "32"},
            new String[] {"SOUTH", "44"}, new String[] {"MID", "42"}, new String[] {"SOUTHWEST", "51"},
            new String[] {"NORTHWEST", "61"});
    private static final String CENTRAL_PROVINCE = "31";
    /** Cities priced +15 % over their province (Beijing, Shanghai, Guangzhou, Shenzhen). */
    static final List<String> TIER1_CITIES = List.of("1101", "3101", "4401", "4403");
    static final double TIER1_CITY_MARKUP = 0.15;
    static final double TOWNSHIP_MARKUP = 0.25;
    /** Floor = 85 % of the list price of the same row. */
    static final double FLOOR_SHARE_OF_LIST = 0.85;
    private static final String COMPANY_PREFIX = "6923456";

    private record CategorySpec(ProductCategory category, String code, int seedCount, int shelfLifeDays,
                                int expiryWarningDays, int unitsPerCase, long minPriceFen, long maxPriceFen,
                                List<String> lines, List<String> sizes) {}

    /** Shelf lives and warnings per category; infant formula warns 180 days (6 months) before expiry. */
    private static final List<CategorySpec> CATEGORIES = List.of(
            new CategorySpec(ProductCategory.INFANT_FORMULA, "IF", 120, 720, 180, 6, 22_800, 39_800,
                    List.of("Gold", "Organic", "A2 Protein", "Sensitive", "Goat Milk"),
                    List.of("stage 1, 400 g", "stage 1, 800 g", "stage 2, 800 g", "stage 2, 900 g",
                            "stage 3, 800 g", "stage 3, 900 g")),
            new CategorySpec(ProductCategory.DIAPERS, "DP", 150, 1095, 90, 4, 9_900, 17_900,
                    List.of("Soft", "Dry Night", "Pants", "Eco"),
                    List.of("NB, 84 pcs", "S, 72 pcs", "M, 60 pcs", "L, 48 pcs", "XL, 42 pcs", "XXL, 36 pcs")),
            new CategorySpec(ProductCategory.WIPES, "WP", 60, 730, 60, 12, 1_290, 2_990,
                    List.of("Pure Water", "Sensitive", "Hand & Mouth"),
                    List.of("80 pcs", "3 x 80 pcs", "20 pcs travel")),
            new CategorySpec(ProductCategory.BABY_FOOD, "BF", 90, 540, 60, 12, 990, 2_490,
                    List.of("Rice Cereal", "Fruit Puree", "Veggie Puree", "Noodles"),
                    List.of("120 g", "225 g", "250 g")),
            new CategorySpec(ProductCategory.SNACKS, "SN", 60, 270, 30, 24, 590, 1_590,
                    List.of("Puffs", "Teething Biscuits", "Yoghurt Melts"),
                    List.of("20 g", "40 g", "60 g")),
            new CategorySpec(ProductCategory.DAIRY, "DY", 40, 180, 30, 12, 4_990, 8_990,
                    List.of("Growing-up Milk", "Kids UHT Milk", "Yoghurt Drink"),
                    List.of("6 x 200 ml", "12 x 125 ml", "1 L")));

    private final SimulationConfig config;
    private final Regions regions;
    private final SplittableRandom random;

    private WorldBuilder(SimulationConfig config, Regions regions) {
        this.config = config;
        this.regions = regions;
        // a stream of its own, so changing the traffic model never changes the master data of a seed
        this.random = new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + 1);
    }

    public static World build(SimulationConfig config) {
        return new WorldBuilder(config, Regions.china()).build();
    }

    private World build() {
        Map<String, Site> sites = new LinkedHashMap<>();
        Map<String, Dealer> dealers = new LinkedHashMap<>();

        Site central = site("WH-CENTRAL", "Central warehouse", LocationKind.CENTRAL_WAREHOUSE,
                firstCountyOf(CENTRAL_PROVINCE), null, null, 1000, 0.1);
        sites.put(central.locationId(), central);
        List<Site> regional = new ArrayList<>();
        for (String[] wh : REGIONAL_WAREHOUSES) {
            Site site = site("WH-" + wh[0], "Regional warehouse " + wh[0].toLowerCase(),
                    LocationKind.REGIONAL_WAREHOUSE, firstCountyOf(wh[1]), central.locationId(), null, 300, 0.1);
            regional.add(site);
            sites.put(site.locationId(), site);
        }

        List<Dealer> tier1 = tier1Dealers(config.scaled(120, 1), regional, sites);
        tier1.forEach(d -> dealers.put(d.dealerId(), d));
        List<Dealer> tier2 = tier2Distributors(config.scaled(800, 1), tier1, sites);
        tier2.forEach(d -> dealers.put(d.dealerId(), d));
        List<Site> stores = stores(config.scaled(300, 1), tier2, sites);

        Map<String, Product> products = new LinkedHashMap<>();
        for (Product p : products()) {
            products.put(p.sku(), p);
        }
        Map<String, RegionalPrice> prices = prices(products.values(), stores);

        Map<String, List<String>> assortment = new LinkedHashMap<>();
        Map<String, Double> baseWeekly = new LinkedHashMap<>();
        List<Product> catalogue = List.copyOf(products.values());
        for (Site store : stores) {
            assign(store, pick(catalogue, 30), config.demand().storeWeeklyUnits(), assortment, baseWeekly);
        }
        for (Dealer d : tier2) {
            assign(sites.get(d.depotLocationId()), pick(catalogue, 40), config.demand().distributorWeeklyUnits(),
                    assortment, baseWeekly);
        }
        // upstream carries everything its downstream sells, in catalogue order
        for (Dealer d : tier1) {
            assortment.put(d.depotLocationId(), union(catalogue, sites, d.depotLocationId(), assortment));
        }
        for (Site wh : regional) {
            assortment.put(wh.locationId(), union(catalogue, sites, wh.locationId(), assortment));
        }
        assortment.put(central.locationId(), catalogue.stream().map(Product::sku).toList());
        return new World(regions, sites, dealers, products, prices, assortment, baseWeekly);
    }

    private List<Dealer> tier1Dealers(int count, List<Site> regional, Map<String, Site> sites) {
        // round-robin over provinces so every province gets dealers; each dealer gets a city of its own
        Map<String, List<String>> freeCities = new LinkedHashMap<>();
        for (String province : regions.provinces()) {
            freeCities.put(province, shuffled(regions.citiesWithCounties(province)));
        }
        List<String> provinceOrder = shuffled(regions.provinces());
        List<Dealer> dealers = new ArrayList<>();
        int p = 0;
        while (dealers.size() < count) {
            String province = provinceOrder.get(p++ % provinceOrder.size());
            List<String> cities = freeCities.get(province);
            String authorized;
            if (!cities.isEmpty()) {
                authorized = cities.remove(0);
            } else {
                // beyond ~340 dealers every city is taken: further dealers get a county
                List<String> allCities = regions.citiesWithCounties(province);
                authorized = oneOf(regions.counties(oneOf(allCities)));
            }
            int n = dealers.size() + 1;
            String dealerId = String.format("D1-%04d", n);
            String county = authorized.length() == 6 ? authorized : oneOf(regions.counties(authorized));
            Site warehouse = nearestRegionalWarehouse(province, regional);
            Site depot = site(String.format("DL1-%04d", n), "Tier-1 dealer depot " + n + " ("
                            + regionName(authorized) + ")", LocationKind.DEALER, county, warehouse.locationId(),
                    dealerId, 60, 0.5);
            sites.put(depot.locationId(), depot);
            dealers.add(new Dealer(dealerId, "Tier-1 dealer " + n + " " + regionName(authorized), 1,
                    List.of(authorized), depot.locationId(), null, province));
        }
        return dealers;
    }

    private List<Dealer> tier2Distributors(int count, List<Dealer> tier1, Map<String, Site> sites) {
        List<Dealer> parents = shuffled(tier1);
        List<Dealer> distributors = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Dealer parent = parents.get(i % parents.size());
            String parentRegion = parent.authorizedRegionCodes().get(0);
            String county = parentRegion.length() == 6 ? parentRegion : oneOf(regions.counties(parentRegion));
            int n = i + 1;
            String dealerId = String.format("D2-%04d", n);
            Site depot = site(String.format("DL2-%04d", n), "Tier-2 distributor depot " + n + " ("
                            + regionName(county) + ")", LocationKind.DEALER, county, parent.depotLocationId(),
                    dealerId, 12, 0.5);
            sites.put(depot.locationId(), depot);
            distributors.add(new Dealer(dealerId, "Tier-2 distributor " + n + " " + regionName(county), 2,
                    List.of(county), depot.locationId(), parent.dealerId(), county.substring(0, 2)));
        }
        return distributors;
    }

    private List<Site> stores(int count, List<Dealer> tier2, Map<String, Site> sites) {
        List<Dealer> operators = shuffled(tier2);
        List<Site> stores = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Dealer operator = operators.get(i % operators.size());
            String county = operator.authorizedRegionCodes().get(0);
            Site store = site(String.format("ST-%04d", i + 1), "Core store " + (i + 1) + " (" + regionName(county)
                    + ")", LocationKind.STORE, county, operator.depotLocationId(), operator.dealerId(), 6, 0.5);
            sites.put(store.locationId(), store);
            stores.add(store);
        }
        return stores;
    }

    private List<Product> products() {
        List<Product> products = new ArrayList<>();
        int itemReference = 1;
        for (CategorySpec spec : CATEGORIES) {
            int count = config.scaled(spec.seedCount(), 1);
            for (int i = 0; i < count; i++) {
                String line = spec.lines().get(i % spec.lines().size());
                String size = spec.sizes().get((i / spec.lines().size()) % spec.sizes().size());
                int generation = i / (spec.lines().size() * spec.sizes().size()) + 1;
                String name = pretty(spec.category()) + " " + line + (generation > 1 ? " v" + generation : "");
                String gtin = Gs1.gtin13(COMPANY_PREFIX + String.format("%05d", itemReference++));
                long price = roundTo10(spec.minPriceFen()
                        + (long) (random.nextDouble() * (spec.maxPriceFen() - spec.minPriceFen())));
                double popularity = Math.exp(random.nextGaussian() * 0.6);
                products.add(new Product(String.format("SKU-%s-%04d", spec.code(), i + 1), gtin, name,
                        spec.category(), size, spec.shelfLifeDays(), spec.expiryWarningDays(), spec.unitsPerCase(),
                        price, popularity));
            }
        }
        return products;
    }

    private Map<String, RegionalPrice> prices(Iterable<Product> products, List<Site> stores) {
        Map<String, Double> provinceFactor = new LinkedHashMap<>();
        for (String province : regions.provinces()) {
            provinceFactor.put(province, 0.96 + random.nextDouble() * 0.10);
        }
        // township rows only where a core store sells; elsewhere the city or province row applies
        Set<String> townships = new LinkedHashSet<>();
        for (Site store : stores) {
            if (regions.isRuralCounty(store.regionCode())) {
                townships.add(store.regionCode());
            }
        }
        Map<String, RegionalPrice> rows = new LinkedHashMap<>();
        for (Product p : products) {
            for (String province : regions.provinces()) {
                long list = roundTo10(Math.round(p.basePriceFen() * provinceFactor.get(province)));
                put(rows, p.sku(), province, list);
            }
            for (String city : TIER1_CITIES) {
                long provinceList = rows.get(Topics.key(p.sku(), city.substring(0, 2))).listPriceFen();
                put(rows, p.sku(), city, roundTo10(Math.round(provinceList * (1 + TIER1_CITY_MARKUP))));
            }
            for (String county : townships) {
                long provinceList = rows.get(Topics.key(p.sku(), county.substring(0, 2))).listPriceFen();
                put(rows, p.sku(), county, roundTo10(Math.round(provinceList * (1 + TOWNSHIP_MARKUP))));
            }
        }
        return rows;
    }

    private static void put(Map<String, RegionalPrice> rows, String sku, String region, long listFen) {
        rows.put(Topics.key(sku, region), new RegionalPrice(sku, region, listFen,
                Math.round(listFen * FLOOR_SHARE_OF_LIST)));
    }

    /** Draws {@code size} SKUs weighted by popularity; whoever sells diapers also sells wipes. */
    private List<Product> pick(List<Product> catalogue, int size) {
        int n = Math.min(size, catalogue.size());
        Set<Product> chosen = new LinkedHashSet<>();
        double total = catalogue.stream().mapToDouble(Product::popularity).sum();
        int guard = 0;
        while (chosen.size() < n && guard++ < 100_000) {
            double target = random.nextDouble() * total;
            for (Product p : catalogue) {
                target -= p.popularity();
                if (target <= 0) {
                    chosen.add(p);
                    break;
                }
            }
        }
        boolean diapers = chosen.stream().anyMatch(p -> p.category() == ProductCategory.DIAPERS);
        boolean wipes = chosen.stream().anyMatch(p -> p.category() == ProductCategory.WIPES);
        if (diapers && !wipes) {
            catalogue.stream().filter(p -> p.category() == ProductCategory.WIPES).findFirst().ifPresent(chosen::add);
        }
        List<Product> ordered = new ArrayList<>(chosen);
        ordered.sort(Comparator.comparingInt(catalogue::indexOf));
        return ordered;
    }

    private void assign(Site site, List<Product> skus, double meanWeeklyUnits, Map<String, List<String>> assortment,
                        Map<String, Double> baseWeekly) {
        assortment.put(site.locationId(), skus.stream().map(Product::sku).toList());
        double siteSize = 0.6 + random.nextDouble() * 0.8;
        for (Product p : skus) {
            baseWeekly.put(Topics.key(site.locationId(), p.sku()), meanWeeklyUnits * p.popularity() * siteSize);
        }
    }

    private static List<String> union(List<Product> catalogue, Map<String, Site> sites, String supplier,
                                      Map<String, List<String>> assortment) {
        Set<String> skus = new HashSet<>();
        collect(sites, supplier, assortment, skus);
        return catalogue.stream().map(Product::sku).filter(skus::contains).toList();
    }

    private static void collect(Map<String, Site> sites, String locationId, Map<String, List<String>> assortment,
                                Set<String> into) {
        into.addAll(assortment.getOrDefault(locationId, List.of()));
        for (Site s : sites.values()) {
            if (locationId.equals(s.parentLocationId())) {
                collect(sites, s.locationId(), assortment, into);
            }
        }
    }

    private Site nearestRegionalWarehouse(String province, List<Site> regional) {
        RegionTree.Coordinates c = regions.capital(province);
        return regional.stream()
                .min(Comparator.comparingDouble(w -> World.distanceKm(c.latitude(), c.longitude(), w.latitude(),
                        w.longitude())))
                .orElseThrow();
    }

    private Site site(String id, String name, LocationKind kind, String county, String parent, String dealerId,
                      int safetyStockUnits, double jitterDegrees) {
        RegionTree.Coordinates c = regions.capital(county);
        double lat = round6(c.latitude() + (random.nextDouble() * 2 - 1) * jitterDegrees);
        double lon = round6(c.longitude() + (random.nextDouble() * 2 - 1) * jitterDegrees);
        return new Site(id, name, kind, county, lat, lon, parent, dealerId, safetyStockUnits);
    }

    private String firstCountyOf(String province) {
        return regions.counties(regions.citiesWithCounties(province).get(0)).get(0);
    }

    private String regionName(String code) {
        return regions.tree().region(code).map(RegionTree.Region::name).orElse(code);
    }

    private <T> List<T> shuffled(List<T> values) {
        List<T> copy = new ArrayList<>(values);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, t);
        }
        return copy;
    }

    private <T> T oneOf(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String pretty(ProductCategory category) {
        return switch (category) {
            case INFANT_FORMULA -> "Infant formula";
            case DIAPERS -> "Diapers";
            case WIPES -> "Baby wipes";
            case BABY_FOOD -> "Baby food";
            case SNACKS -> "Toddler snacks";
            case DAIRY -> "Kids dairy";
            default -> "Product";
        };
    }

    static long roundTo10(long fen) {
        return Math.max(10, Math.round(fen / 10.0) * 10);
    }

    private static double round6(double degrees) {
        return Math.round(degrees * 1e6) / 1e6;
    }
}
