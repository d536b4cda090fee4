package io.channelstream.simulator;

import io.channelstream.events.CaseUnit;
import io.channelstream.events.LocationKind;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.Pallet;
import io.channelstream.events.ProductCategory;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.ShipTo;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.TraceRecorded;
import io.channelstream.events.TraceStep;
import io.channelstream.events.TransferApproved;
import io.channelstream.events.TransferDispatched;
import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferLine;
import io.channelstream.events.TransferReceived;
import io.channelstream.events.TransferRequested;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.World.Dealer;
import io.channelstream.simulator.World.Product;
import io.channelstream.simulator.World.Site;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Generates the brand's traffic one simulated day at a time, deterministically from the seed: weekly
 * replenishment down the chain (production → central → regional warehouses → tier-1 dealers → tier-2
 * distributors → stores) with orders, shipments carrying pallet → case → item codes (the shipment event is what
 * takes goods out of the sender's stock), receipts and receipt
 * scans; daily consumer sales with store-sale scans and some consumer scans; and the injected, labelled
 * anomalies. The generator tracks every case at every location, so a scanned code is always one that was
 * shipped there (unless the anomaly is that it was not).
 *
 * <p>Event time: all activity happens between 00:00 and 15:00 UTC (08:00-23:00 in China), so the UTC date
 * and the Chinese date agree. Weeks are ISO weeks starting Monday 00:00 UTC.
 */
public final class TrafficGenerator {

    /** One simulated day: its events in publication order, the labels injected, and the expected demand. */
    public record Day(LocalDate date, List<SimEvent> events, List<Label> labels, Map<DemandKey, Double> expectedUnits) {}

    /** Key of the demand truth. */
    public record DemandKey(String sku, String dealerId, LocalDate weekStart) {}

    static final double STORE_CONSUMER_SCAN_SHARE = 0.05;
    static final int MAX_CASES_PER_SHIPMENT = 200;
    static final int CASES_PER_PALLET = 40;
    /** Weeks of expected flow a location aims to hold after replenishment. */
    static final double COVER_WEEKS = 2.0;
    static final double ORDER_PRICE_SHARE_OF_LIST = 0.90;
    /** A clone is seen at least this far from the first sighting, within this many minutes. */
    static final double CLONE_MIN_DISTANCE_KM = 1000;
    static final int CLONE_MAX_MINUTES = 30;

    private static final DateTimeFormatter BATCH_DATE = DateTimeFormatter.ofPattern("yyMMdd");

    private final World world;
    private final SimulationConfig config;
    private final DemandModel demand;
    private final SplittableRandom random;
    private final String prefix;

    private int dayIndex;
    private long eventCounter;
    private long caseCounter;
    private long palletCounter;
    private long shipmentCounter;
    private long orderCounter;
    private long transferCounter;
    private long labelCounter;

    /** Cases on hand: location → SKU → lots, oldest first. */
    private final Map<String, Map<String, ArrayDeque<CaseLot>>> stock = new HashMap<>();
    private final Map<String, Long> inTransitUnits = new HashMap<>();
    private final Map<String, Double> weeklyFlow = new HashMap<>();
    private final Set<String> batchesTraced = new HashSet<>();
    private final Map<String, List<String>> batchesBySku = new HashMap<>();

    /** Work due on a later day: arrivals, scheduled scans, delayed events. */
    private final TreeMap<Integer, List<Runnable>> dueActions = new TreeMap<>();
    private final TreeMap<Integer, List<SimEvent>> dueEvents = new TreeMap<>();
    private final TreeMap<Integer, List<SimEvent>> heldToEndOfDay = new TreeMap<>();
    private final TreeMap<Integer, List<AnomalyKind>> dueAnomalies = new TreeMap<>();

    private final ArrayDeque<List<SoldItem>> recentStoreSales = new ArrayDeque<>();
    private final Set<String> codesUsedByAnomalies = new HashSet<>();
    private final Map<String, Integer> travelPairsUntilDay = new HashMap<>();
    /** Shipments labelled SCAN_BEFORE_SHIPMENT: their goods stay look-alike traffic, never diverted. */
    private final Set<String> lookAlikeShipments = new HashSet<>();

    // per-day output being built
    private List<SimEvent> today;
    private List<Label> labelsToday;
    private Map<DemandKey, Double> expectedToday;
    private List<SoldItem> soldToday;
    private LocalDate date;

    public TrafficGenerator(World world, SimulationConfig config) {
        this.world = world;
        this.config = config;
        this.demand = new DemandModel(config);
        this.random = new SplittableRandom(config.seed());
        this.prefix = config.eventIdPrefix();
        // serials start at a seed-dependent offset, so two seeds never print the same codes
        this.caseCounter = 10_000_000L + Math.floorMod(config.seed() * 7919L, 80_000_000L);
        for (Site site : world.sites()) {
            for (String sku : world.assortment(site.locationId())) {
                flow(site.locationId(), sku);
            }
        }
    }

    public World world() {
        return world;
    }

    public DemandModel demandModel() {
        return demand;
    }

    /** The date the next call to {@link #nextDay()} generates. */
    public LocalDate nextDate() {
        return config.firstMonday().plusDays(dayIndex);
    }

    /** Generates the next simulated day. */
    public Day nextDay() {
        date = nextDate();
        today = new ArrayList<>();
        labelsToday = new ArrayList<>();
        expectedToday = new LinkedHashMap<>();
        soldToday = new ArrayList<>();

        if (dayIndex == 0) {
            replenish(0);
        } else if (date.getDayOfWeek() == DayOfWeek.MONDAY) {
            replenish(1);
        }
        if (date.getDayOfWeek() == DayOfWeek.MONDAY) {
            scheduleAnomaliesOfTheWeek();
        }
        runDue(dueActions.remove(dayIndex));
        List<SimEvent> scheduled = dueEvents.remove(dayIndex);
        if (scheduled != null) {
            today.addAll(scheduled);
        }
        sell();
        injectAnomalies();

        today.sort(Comparator.comparing(SimEvent::occurredAt)); // stable: same-time events keep their order
        List<SimEvent> held = heldToEndOfDay.remove(dayIndex);
        if (held != null) {
            today.addAll(held); // published late, after facts that happened after them
        }
        recentStoreSales.addFirst(soldToday);
        while (recentStoreSales.size() > 10) {
            recentStoreSales.removeLast();
        }
        dayIndex++;
        return new Day(date, List.copyOf(today), List.copyOf(labelsToday), Map.copyOf(expectedToday));
    }

    // ---------------------------------------------------------------- replenishment

    /**
     * Order-up-to replenishment down the chain. On day 0 everything arrives the same day (the opening
     * fill); on later Mondays goods arrive the next day.
     */
    private void replenish(int transitDays) {
        boolean opening = transitDays == 0;
        List<Site> regional = world.sites(LocationKind.REGIONAL_WAREHOUSE);
        Site central = world.sites(LocationKind.CENTRAL_WAREHOUSE).get(0);

        // production covers what the regional warehouses will ask for (on opening: the whole chain below)
        Map<String, Integer> produce = new LinkedHashMap<>();
        for (Site wh : regional) {
            needs(wh.locationId(), opening).forEach((sku, cases) -> produce.merge(sku, cases, Integer::sum));
        }
        produce(central, produce);

        List<Site> stepOrder = new ArrayList<>(regional);
        stepOrder.addAll(world.depots(1));
        stepOrder.addAll(world.depots(2));
        stepOrder.addAll(world.sites(LocationKind.STORE));
        List<String> tier2Shipments = new ArrayList<>();
        int sequence = 0;
        for (Site to : stepOrder) {
            Map<String, Integer> need = needs(to.locationId(), opening);
            if (need.isEmpty()) {
                continue;
            }
            Dealer orderingDealer = to.kind() == LocationKind.DEALER ? world.dealer(to.dealerId()) : null;
            String orderId = null;
            // each level of the chain ships in its own quarter hour, so on the opening day (same-day arrival)
            // a level has received its goods before it ships them on; weekly goods leave at 01:00
            Instant dispatchedAt = at(date, opening ? 0 : 1, (opening ? 1 : 0) + 15 * level(to), sequence++ % 600);
            if (orderingDealer != null) {
                need = applyCoPurchase(orderingDealer, need);
                orderId = placeOrder(orderingDealer, shipToOf(to), to.parentLocationId(), need,
                        dispatchedAt.minusSeconds(300));
            }
            List<String> shipmentIds = ship(world.site(to.parentLocationId()), to, need, orderId, dispatchedAt,
                    transitDays);
            if (orderingDealer != null && orderingDealer.tier() == 2 && !opening) {
                tier2Shipments.addAll(shipmentIds);
            }
        }
        if (!opening) {
            delayShipmentEvents(tier2Shipments);
        }
    }

    private static int level(Site site) {
        return switch (site.kind()) {
            case REGIONAL_WAREHOUSE -> 0;
            case DEALER -> site.locationId().startsWith("DL1-") ? 1 : 2;
            default -> 3;
        };
    }

    /** Cases each SKU of a location needs to get back to its target (opening: target of it and all below). */
    private Map<String, Integer> needs(String locationId, boolean opening) {
        Map<String, Integer> need = new LinkedHashMap<>();
        for (String sku : world.assortment(locationId)) {
            Product product = world.product(sku);
            double targetUnits = COVER_WEEKS * flow(locationId, sku);
            long position = onHand(locationId, sku) + inTransitUnits.getOrDefault(Topics.key(locationId, sku), 0L);
            int cases = (int) Math.ceil((targetUnits - position) / product.unitsPerCase());
            if (opening) {
                cases = (int) Math.ceil(targetUnits / product.unitsPerCase()) + downstreamOpeningCases(locationId, sku);
            }
            if (cases > 0) {
                need.put(sku, cases);
            }
        }
        return need;
    }

    private int downstreamOpeningCases(String locationId, String sku) {
        int cases = 0;
        for (String child : world.supplied(locationId)) {
            if (world.assortment(child).contains(sku)) {
                cases += (int) Math.ceil(COVER_WEEKS * flow(child, sku) / world.product(sku).unitsPerCase())
                        + downstreamOpeningCases(child, sku);
            }
        }
        return cases;
    }

    /** Expected weekly units passing through a location: its own sales plus what it supplies. */
    private double flow(String locationId, String sku) {
        String key = Topics.key(locationId, sku);
        Double known = weeklyFlow.get(key);
        if (known != null) {
            return known;
        }
        double total = world.baseWeeklyUnits(locationId, sku);
        for (String child : world.supplied(locationId)) {
            if (world.assortment(child).contains(sku)) {
                total += flow(child, sku);
            }
        }
        weeklyFlow.put(key, total);
        return total;
    }

    /** The seed's "80% of diaper orders also hold wipes": add a wipes line, or hold wipes back to next week. */
    private Map<String, Integer> applyCoPurchase(Dealer dealer, Map<String, Integer> need) {
        boolean diapers = need.keySet().stream().anyMatch(sku -> category(sku) == ProductCategory.DIAPERS);
        if (!diapers) {
            return need;
        }
        Map<String, Integer> lines = new LinkedHashMap<>(need);
        if (random.nextDouble() < config.demand().diaperOrdersWithWipes()) {
            if (lines.keySet().stream().noneMatch(sku -> category(sku) == ProductCategory.WIPES)) {
                String wipes = world.assortment(dealer.depotLocationId()).stream()
                        .filter(sku -> category(sku) == ProductCategory.WIPES).findFirst()
                        .orElseGet(() -> world.products().stream()
                                .filter(p -> p.category() == ProductCategory.WIPES).findFirst().orElseThrow().sku());
                lines.put(wipes, 1);
            }
        } else {
            lines.keySet().removeIf(sku -> category(sku) == ProductCategory.WIPES);
        }
        return lines;
    }

    private static ShipTo shipToOf(Site site) {
        return ShipTo.newBuilder().setLocationId(site.locationId()).setRegionCode(site.regionCode())
                .setLatitude(site.latitude()).setLongitude(site.longitude()).build();
    }

    private String placeOrder(Dealer dealer, ShipTo shipTo, String fulfillingLocationId, Map<String, Integer> cases,
                              Instant at) {
        String orderId = prefix + "-O" + (++orderCounter);
        List<OrderLine> lines = new ArrayList<>();
        boolean promo = false;
        for (Map.Entry<String, Integer> line : cases.entrySet()) {
            Product product = world.product(line.getKey());
            lines.add(OrderLine.newBuilder().setSku(product.sku())
                    .setQuantity(line.getValue() * product.unitsPerCase())
                    .setUnitPriceFen(orderPrice(product.sku(), shipTo.getRegionCode())).build());
            promo |= demand.promoted(product.sku(), DemandModel.monday(date));
        }
        emit(new SimEvent(Topics.ORDERS, orderId, OrderEvent.newBuilder()
                .setEventId(nextEventId()).setOccurredAt(at).setSource("simulator:dms").setOrderId(orderId)
                .setPayload(OrderPlaced.newBuilder().setDealerId(dealer.dealerId())
                        .setFulfillingLocationId(fulfillingLocationId)
                        .setShipTo(shipTo)
                        .setPromo(promo).setLines(lines).build())
                .build()));
        return orderId;
    }

    private long orderPrice(String sku, String regionCode) {
        return Math.round(world.priceAt(sku, regionCode).listPriceFen() * ORDER_PRICE_SHARE_OF_LIST);
    }

    private void produce(Site central, Map<String, Integer> casesBySku) {
        LocalDate productionDate = date.minusDays(3);
        Instant at = at(date, 0, 0, 0); // received before the first goods leave (00:01 on day 0, 01:00 weekly)
        for (Map.Entry<String, Integer> entry : casesBySku.entrySet()) {
            Product product = world.product(entry.getKey());
            String batch = "B" + BATCH_DATE.format(productionDate) + "-" + entry.getKey().substring(4);
            LocalDate expiry = productionDate.plusDays(product.shelfLifeDays());
            ArrayDeque<CaseLot> lots = lots(central.locationId(), product.sku());
            for (int i = 0; i < entry.getValue(); i++) {
                lots.addLast(new CaseLot(product, batch, productionDate, expiry, caseCounter++));
            }
            movement(central.locationId(), product.sku(), batch, MovementKind.RECEIPT,
                    entry.getValue() * product.unitsPerCase(), productionDate, expiry, "production:" + batch, null, at);
            batchesBySku.computeIfAbsent(product.sku(), k -> new ArrayList<>()).add(batch);
            traceBatch(product, batch, productionDate);
        }
    }

    /** Raw material, production and quality check of formula and dairy batches (what a consumer's trace shows). */
    private void traceBatch(Product product, String batch, LocalDate productionDate) {
        if ((product.category() != ProductCategory.INFANT_FORMULA && product.category() != ProductCategory.DAIRY)
                || !batchesTraced.add(batch)) {
            return;
        }
        String key = Topics.key(product.sku(), batch);
        Instant milking = at(productionDate.minusDays(2), 0, 30, 0);
        emit(new SimEvent(Topics.TRACE_RECORDS, key, TraceRecorded.newBuilder().setEventId(nextEventId())
                .setOccurredAt(milking).setSource("simulator:mes").setSku(product.sku()).setBatch(batch)
                .setStep(TraceStep.RAW_MATERIAL).setPlace("Farm " + (1 + random.nextInt(12)) + ", Hulunbuir")
                .setAttributes(Map.of("milkingTime", milking.toString(), "feed", "alfalfa and corn silage"))
                .build()));
        emit(new SimEvent(Topics.TRACE_RECORDS, key, TraceRecorded.newBuilder().setEventId(nextEventId())
                .setOccurredAt(at(productionDate, 2, 0, 0)).setSource("simulator:mes").setSku(product.sku())
                .setBatch(batch).setStep(TraceStep.PRODUCTION).setPlace("Plant 1, line " + (1 + random.nextInt(4)))
                .setAttributes(Map.of("sterilisationTempCelsius", String.valueOf(135 + random.nextInt(5)),
                        "fillingRoomClass", "ISO 7"))
                .build()));
        emit(new SimEvent(Topics.TRACE_RECORDS, key, TraceRecorded.newBuilder().setEventId(nextEventId())
                .setOccurredAt(at(productionDate, 8, 0, 0)).setSource("simulator:lims").setSku(product.sku())
                .setBatch(batch).setStep(TraceStep.QUALITY_CHECK).setPlace("QC lab 1")
                .setAttributes(Map.of("result", "pass")).setQcReportRef("QC-" + batch).build()));
    }

    /**
     * Moves cases from {@code from} to {@code to}: the shipment event(s) with their codes now (the event itself
     * takes them out of the sender's stock), the RECEIPT movements and receipt scans on arrival.
     */
    private List<String> ship(Site from, Site to, Map<String, Integer> casesBySku, String orderId, Instant dispatchedAt,
                              int transitDays) {
        List<CaseLot> picked = new ArrayList<>();
        for (Map.Entry<String, Integer> entry : casesBySku.entrySet()) {
            picked.addAll(takeCases(from.locationId(), entry.getKey(), entry.getValue()));
        }
        List<String> shipmentIds = new ArrayList<>();
        String toDealerId = to.dealerId();
        for (int start = 0; start < picked.size(); start += MAX_CASES_PER_SHIPMENT) {
            List<CaseLot> load = picked.subList(start, Math.min(picked.size(), start + MAX_CASES_PER_SHIPMENT));
            String shipmentId = prefix + "-SH" + (++shipmentCounter);
            shipmentIds.add(shipmentId);
            boolean palletised = from.kind() != LocationKind.DEALER;
            List<Pallet> pallets = new ArrayList<>();
            List<CaseUnit> loose = new ArrayList<>();
            for (int i = 0; i < load.size(); i += CASES_PER_PALLET) {
                List<CaseLot> group = load.subList(i, Math.min(load.size(), i + CASES_PER_PALLET));
                String palletCode = palletised
                        ? Gs1.palletLink(config.codeDomain(), Gs1.sscc("6923456", ++palletCounter + config.seed() * 1000))
                        : null;
                List<CaseUnit> cases = new ArrayList<>();
                for (CaseLot lot : group) {
                    lot.palletCode = palletCode;
                    lot.shipmentId = shipmentId;
                    if (toDealerId != null) {
                        lot.boundDealerId = toDealerId;
                    }
                    cases.add(lot.toCaseUnit(config.codeDomain()));
                }
                if (palletised) {
                    pallets.add(Pallet.newBuilder().setPalletCode(palletCode).setCases(cases).build());
                } else {
                    loose.addAll(cases);
                }
            }
            Map<String, ShipmentLine> lines = linesOf(load);
            emit(new SimEvent(Topics.SHIPMENTS, shipmentId, ShipmentDispatched.newBuilder()
                    .setEventId(nextEventId()).setOccurredAt(dispatchedAt).setSource("simulator:wms")
                    .setShipmentId(shipmentId).setOrderId(orderId).setFromLocationId(from.locationId())
                    .setToLocationId(to.locationId()).setToDealerId(toDealerId)
                    .setLines(List.copyOf(lines.values())).setPallets(pallets).setLooseCases(loose).build()));
            // no SHIPMENT_OUT movement: the inventory topology takes shipped goods out of stock from the
            // ShipmentDispatched event itself, and a WMS must not post both (docs/inventory.md)
            for (ShipmentLine line : lines.values()) {
                inTransitUnits.merge(Topics.key(to.locationId(), line.getSku()), (long) line.getQuantity(), Long::sum);
            }
            List<CaseLot> arriving = List.copyOf(load);
            Instant receivedAt = transitDays == 0
                    ? dispatchedAt.plusSeconds(60)
                    : at(date.plusDays(transitDays), 0, 20 + random.nextInt(60), random.nextInt(60));
            Runnable arrival = () -> receive(to, shipmentId, arriving, lines, receivedAt);
            if (transitDays == 0) {
                arrival.run();
            } else {
                dueActions.computeIfAbsent(dayIndex + transitDays, d -> new ArrayList<>()).add(arrival);
            }
        }
        return shipmentIds;
    }

    private void receive(Site to, String shipmentId, List<CaseLot> cases, Map<String, ShipmentLine> lines,
                         Instant receivedAt) {
        for (ShipmentLine line : lines.values()) {
            movement(to.locationId(), line.getSku(), line.getBatch(), MovementKind.RECEIPT, line.getQuantity(),
                    line.getProductionDate(), line.getExpiryDate(), shipmentId, null, receivedAt);
            inTransitUnits.merge(Topics.key(to.locationId(), line.getSku()), (long) -line.getQuantity(), Long::sum);
        }
        int second = 0;
        for (CaseLot lot : cases) {
            lots(to.locationId(), lot.product.sku()).addLast(lot);
            if (to.kind() == LocationKind.DEALER) {
                // dealers scan every case into their warehouse: strong evidence of where the goods are
                scan(lot.caseCode(config.codeDomain()), to, ScannerRole.DEALER_RECEIPT, null,
                        receivedAt.plusSeconds(second++));
            }
        }
    }

    /** Holds back some tier-2 shipment events until after their receipt scans (a late WMS feed). */
    private void delayShipmentEvents(List<String> tier2ShipmentIds) {
        int count = config.anomalies(AnomalyKind.SCAN_BEFORE_SHIPMENT);
        for (int i = 0; i < count && !tier2ShipmentIds.isEmpty(); i++) {
            String shipmentId = tier2ShipmentIds.remove(random.nextInt(tier2ShipmentIds.size()));
            SimEvent event = null;
            for (Iterator<SimEvent> it = today.iterator(); it.hasNext(); ) {
                SimEvent candidate = it.next();
                if (candidate.topic() == Topics.SHIPMENTS && candidate.key().equals(shipmentId)) {
                    event = candidate;
                    it.remove();
                    break;
                }
            }
            if (event == null) {
                continue;
            }
            ShipmentDispatched shipment = (ShipmentDispatched) event.value();
            heldToEndOfDay.computeIfAbsent(dayIndex + 1, d -> new ArrayList<>()).add(event);
            lookAlikeShipments.add(shipmentId);
            List<String> keys = new ArrayList<>();
            keys.add(shipmentId);
            shipment.getLooseCases().forEach(c -> keys.add(c.getCaseCode()));
            label(AnomalyKind.SCAN_BEFORE_SHIPMENT, keys, shipment.getOccurredAt(), Map.of(
                    "shipmentId", shipmentId, "toLocationId", shipment.getToLocationId(),
                    "toDealerId", String.valueOf(shipment.getToDealerId()),
                    "publishedAfter", "the receipt scans of the next day"));
        }
    }

    // ---------------------------------------------------------------- sales

    private void sell() {
        List<Site> sellers = new ArrayList<>(world.sites(LocationKind.STORE));
        sellers.addAll(world.depots(2));
        LocalDate weekStart = DemandModel.monday(date);
        for (Site site : sellers) {
            boolean store = site.kind() == LocationKind.STORE;
            for (String sku : world.assortment(site.locationId())) {
                Product product = world.product(sku);
                double mean = demand.dailyMean(world.baseWeeklyUnits(site.locationId(), sku), sku, product.category(),
                        date);
                expectedToday.merge(new DemandKey(sku, site.dealerId(), weekStart), mean, Double::sum);
                int wanted = poisson(mean);
                if (wanted == 0) {
                    continue;
                }
                Instant at = at(date, 2 + random.nextInt(12), random.nextInt(60), random.nextInt(60));
                long price = salePrice(sku, site.regionCode(), date);
                sellUnits(site, product, wanted, price, at, store);
            }
        }
    }

    /** Sells up to {@code units} (less when stock runs out): SALE movements per batch, and scans at stores. */
    private List<SoldItem> sellUnits(Site site, Product product, int units, long unitPriceFen, Instant at,
                                     boolean scanned) {
        ArrayDeque<CaseLot> lots = lots(site.locationId(), product.sku());
        Map<CaseLot, Integer> byLot = new LinkedHashMap<>();
        List<SoldItem> sold = new ArrayList<>();
        int second = 0;
        while (units > 0 && !lots.isEmpty()) {
            CaseLot lot = lots.peekFirst();
            int index = lot.nextItem++;
            byLot.merge(lot, 1, Integer::sum);
            if (scanned) {
                String code = lot.itemCode(config.codeDomain(), index);
                Instant scanAt = at.plusSeconds(second++ * 7L);
                String scanEventId = scan(code, site, ScannerRole.STORE_SALE, unitPriceFen, scanAt);
                SoldItem item = new SoldItem(code, lot, site, scanAt, scanEventId);
                sold.add(item);
                soldToday.add(item);
                if (random.nextDouble() < STORE_CONSUMER_SCAN_SHARE) {
                    scheduleConsumerScanNear(item);
                }
            }
            if (lot.remaining() == 0) {
                lots.pollFirst();
            }
            units--;
        }
        Map<String, Integer> byBatch = new LinkedHashMap<>();
        Map<String, CaseLot> sample = new HashMap<>();
        byLot.forEach((lot, n) -> {
            byBatch.merge(lot.batch, n, Integer::sum);
            sample.putIfAbsent(lot.batch, lot);
        });
        byBatch.forEach((batch, n) -> {
            CaseLot lot = sample.get(batch);
            movement(site.locationId(), product.sku(), batch, MovementKind.SALE, n, lot.production, lot.expiry,
                    "pos:" + site.locationId() + ":" + date, unitPriceFen, at);
        });
        return sold;
    }

    /** A consumer checks the code at home, in the store's county, within three days. */
    private void scheduleConsumerScanNear(SoldItem item) {
        int inDays = random.nextInt(4);
        Instant at = at(date.plusDays(inDays), 3 + random.nextInt(11), random.nextInt(60), random.nextInt(60));
        if (!at.isAfter(item.soldAt)) {
            at = item.soldAt.plusSeconds(3600);
        }
        codesUsedByAnomalies.add(item.code); // its later sightings are the consumer's own: keep anomalies off it
        due(scanEvent(item.code, null, item.store.regionCode(), jitter(item.store.latitude()),
                jitter(item.store.longitude()), ScannerRole.CONSUMER, null, at));
    }

    private long salePrice(String sku, String regionCode, LocalDate day) {
        long list = world.priceAt(sku, regionCode).listPriceFen();
        if (demand.promoted(sku, DemandModel.monday(day))) {
            return list; // buy two, get one free: paid units at list, so promotions never look like floor breaches
        }
        return WorldBuilder.roundTo10(Math.round(list * (0.92 + random.nextDouble() * 0.08)));
    }

    // ---------------------------------------------------------------- anomalies

    private void scheduleAnomaliesOfTheWeek() {
        for (AnomalyKind kind : AnomalyKind.values()) {
            if (kind == AnomalyKind.SCAN_BEFORE_SHIPMENT) {
                continue; // injected by the Monday replenishment itself
            }
            for (int i = 0; i < config.anomalies(kind); i++) {
                dueAnomalies.computeIfAbsent(dayIndex + 1 + random.nextInt(6), d -> new ArrayList<>()).add(kind);
            }
        }
    }

    private void injectAnomalies() {
        List<AnomalyKind> due = dueAnomalies.remove(dayIndex);
        if (due == null) {
            return;
        }
        for (AnomalyKind kind : due) {
            boolean done = switch (kind) {
                case DIVERSION -> divert();
                case CLONED_CODE -> cloneACode();
                case UNKNOWN_CODE -> unknownCode();
                case PRICE_BELOW_FLOOR -> sellBelowFloor();
                case CROSS_REGION_ORDER -> orderAcrossRegions();
                case CONSUMER_TRAVEL -> travel();
                case APPROVED_TRANSFER -> transfer();
                case SCAN_BEFORE_SHIPMENT -> true;
            };
            if (!done) {
                // nothing suitable today (e.g. no stock yet): try again tomorrow
                dueAnomalies.computeIfAbsent(dayIndex + 1, d -> new ArrayList<>()).add(kind);
            }
        }
    }

    /** A distributor sells some cases to a buyer who resells them at a store in another province. */
    private boolean divert() {
        List<Site> depots = world.depots(2);
        for (int attempt = 0; attempt < 30; attempt++) {
            Site source = depots.get(random.nextInt(depots.size()));
            List<String> skus = skusWithUnopenedCases(source.locationId(), this::divertible);
            if (skus.isEmpty()) {
                continue;
            }
            Site foreignStore = storeOutside(source.regionCode().substring(0, 2));
            if (foreignStore == null) {
                return false;
            }
            String sku = skus.get(random.nextInt(skus.size()));
            Product product = world.product(sku);
            List<CaseLot> cases = takeCases(source.locationId(), sku, 1 + random.nextInt(2), this::divertible);
            if (cases.isEmpty()) {
                continue;
            }
            Dealer sourceDealer = world.dealer(source.dealerId());
            Instant soldAt = at(date, 2 + random.nextInt(4), random.nextInt(60), 0);
            int units = cases.stream().mapToInt(CaseLot::remaining).sum();
            Map<String, Integer> byBatch = new LinkedHashMap<>();
            cases.forEach(c -> byBatch.merge(c.batch, c.remaining(), Integer::sum));
            for (Map.Entry<String, Integer> e : byBatch.entrySet()) {
                CaseLot lot = cases.stream().filter(c -> c.batch.equals(e.getKey())).findFirst().orElseThrow();
                movement(source.locationId(), sku, e.getKey(), MovementKind.SALE, e.getValue(), lot.production,
                        lot.expiry, "wholesale:" + source.locationId(), orderPrice(sku, source.regionCode()), soldAt);
            }
            List<String> keys = new ArrayList<>();
            long foreignPrice = salePrice(sku, foreignStore.regionCode(), date);
            for (CaseLot lot : cases) {
                keys.add(lot.caseCode(config.codeDomain()));
                while (lot.remaining() > 0) {
                    int index = lot.nextItem++;
                    String code = lot.itemCode(config.codeDomain(), index);
                    keys.add(code);
                    codesUsedByAnomalies.add(code);
                    int inDays = 1 + random.nextInt(3);
                    Instant at = at(date.plusDays(inDays), 2 + random.nextInt(12), random.nextInt(60), 0);
                    due(scanEvent(code, foreignStore.locationId(), foreignStore.regionCode(),
                            foreignStore.latitude(), foreignStore.longitude(), ScannerRole.STORE_SALE, foreignPrice,
                            at));
                    if (random.nextDouble() < 0.3) {
                        Instant home = at.plusSeconds(3600L * (2 + random.nextInt(30)));
                        due(scanEvent(code, null, foreignStore.regionCode(), jitter(foreignStore.latitude()),
                                jitter(foreignStore.longitude()), ScannerRole.CONSUMER, null, home));
                    }
                }
            }
            CaseLot first = cases.get(0);
            label(AnomalyKind.DIVERSION, keys, soldAt, Map.of(
                    "sourceDealerId", sourceDealer.dealerId(), "sourceLocationId", source.locationId(),
                    "boundRegionCodes", String.join(",", sourceDealer.authorizedRegionCodes()),
                    "shipmentId", String.valueOf(first.shipmentId), "sku", sku, "batch", first.batch,
                    "foreignLocationId", foreignStore.locationId(), "foreignRegionCode", foreignStore.regionCode(),
                    "units", String.valueOf(units)));
            return true;
        }
        return false;
    }

    /** A code sold at a store today is scanned again, far away, minutes later. */
    private boolean cloneACode() {
        SoldItem item = unusedSoldItem(soldToday);
        if (item == null) {
            return false;
        }
        Site far = storeFarFrom(item.store, CLONE_MIN_DISTANCE_KM);
        if (far == null) {
            return false;
        }
        int minutes = 5 + random.nextInt(CLONE_MAX_MINUTES - 4);
        Instant at = item.soldAt.plusSeconds(60L * minutes);
        codesUsedByAnomalies.add(item.code);
        double lat = jitter(far.latitude());
        double lon = jitter(far.longitude());
        SimEvent scan = scanEvent(item.code, null, far.regionCode(), lat, lon, ScannerRole.CONSUMER, null, at);
        today.add(scan);
        double km = World.distanceKm(item.store.latitude(), item.store.longitude(), lat, lon);
        label(AnomalyKind.CLONED_CODE, List.of(item.code, scan.eventId(), item.scanEventId), item.soldAt, Map.of(
                "firstLocationId", item.store.locationId(), "firstRegionCode", item.store.regionCode(),
                "secondRegionCode", far.regionCode(), "distanceKm", String.valueOf(Math.round(km)),
                "minutesBetween", String.valueOf(minutes)));
        return true;
    }

    /** A scan of a serial that was never issued, for a real product and batch. */
    private boolean unknownCode() {
        List<Site> stores = world.sites(LocationKind.STORE);
        Site store = stores.get(random.nextInt(stores.size()));
        List<String> skus = world.assortment(store.locationId());
        String sku = skus.get(random.nextInt(skus.size()));
        List<String> batches = batchesBySku.get(sku);
        if (batches == null) {
            return false;
        }
        Product product = world.product(sku);
        String batch = batches.get(random.nextInt(batches.size()));
        // issued serials are 10 digits; a 13-digit one starting with 9 was never printed by the brand
        String serial = "9" + String.format("%012d", random.nextLong(1_000_000_000_000L));
        String code = Gs1.digitalLink(config.codeDomain(), Gs1.itemGtin14(product.gtin()), batch, serial);
        Instant at = at(date, 2 + random.nextInt(12), random.nextInt(60), random.nextInt(60));
        SimEvent scan = scanEvent(code, null, store.regionCode(), jitter(store.latitude()), jitter(store.longitude()),
                ScannerRole.CONSUMER, null, at);
        today.add(scan);
        label(AnomalyKind.UNKNOWN_CODE, List.of(code, scan.eventId()), at, Map.of(
                "regionCode", store.regionCode(), "sku", sku, "batch", batch));
        return true;
    }

    /** A store sells one unit below the regional floor price. */
    private boolean sellBelowFloor() {
        List<Site> stores = world.sites(LocationKind.STORE);
        for (int attempt = 0; attempt < 20; attempt++) {
            Site store = stores.get(random.nextInt(stores.size()));
            List<String> skus = world.assortment(store.locationId()).stream()
                    .filter(sku -> onHand(store.locationId(), sku) > 0).toList();
            if (skus.isEmpty()) {
                continue;
            }
            String sku = skus.get(random.nextInt(skus.size()));
            World.RegionalPrice price = world.priceAt(sku, store.regionCode());
            long cut = Math.round(price.floorPriceFen() * (0.6 + random.nextDouble() * 0.3));
            Instant at = at(date, 2 + random.nextInt(12), random.nextInt(60), random.nextInt(60));
            int before = today.size();
            List<SoldItem> sold = sellUnits(store, world.product(sku), 1, cut, at, true);
            if (sold.isEmpty()) {
                continue;
            }
            List<String> keys = new ArrayList<>();
            keys.add(sold.get(0).code);
            for (SimEvent e : today.subList(before, today.size())) {
                keys.add(e.eventId()); // the STORE_SALE scan and the SALE movement
            }
            codesUsedByAnomalies.add(sold.get(0).code);
            label(AnomalyKind.PRICE_BELOW_FLOOR, keys, at, Map.of(
                    "locationId", store.locationId(), "regionCode", store.regionCode(), "sku", sku,
                    "priceFen", String.valueOf(cut), "floorPriceFen", String.valueOf(price.floorPriceFen()),
                    "priceRowRegionCode", price.regionCode()));
            return true;
        }
        return false;
    }

    /** A distributor orders goods to be delivered in another province. */
    private boolean orderAcrossRegions() {
        List<Dealer> distributors = world.dealers().stream().filter(d -> d.tier() == 2).toList();
        Dealer dealer = distributors.get(random.nextInt(distributors.size()));
        Site depot = world.site(dealer.depotLocationId());
        Site elsewhere = storeOutside(depot.regionCode().substring(0, 2));
        if (elsewhere == null) {
            return false;
        }
        List<String> skus = world.assortment(depot.locationId());
        Map<String, Integer> cases = new LinkedHashMap<>();
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            cases.put(skus.get(random.nextInt(skus.size())), 2 + random.nextInt(5));
        }
        // the ship-to names no known location: a plain delivery address in another province
        ShipTo address = ShipTo.newBuilder().setLocationId(null).setRegionCode(elsewhere.regionCode())
                .setLatitude(jitter(elsewhere.latitude())).setLongitude(jitter(elsewhere.longitude())).build();
        Instant at = at(date, 1 + random.nextInt(10), random.nextInt(60), random.nextInt(60));
        String orderId = placeOrder(dealer, address, depot.parentLocationId(), cases, at);
        SimEvent placed = today.get(today.size() - 1);
        label(AnomalyKind.CROSS_REGION_ORDER, List.of(orderId, placed.eventId()), at, Map.of(
                "dealerId", dealer.dealerId(), "authorizedRegionCodes", String.join(",",
                        dealer.authorizedRegionCodes()), "shipToRegionCode", elsewhere.regionCode()));
        return true;
    }

    /** A consumer who bought at home scans the code once while travelling in another province. */
    private boolean travel() {
        List<SoldItem> candidates = new ArrayList<>();
        int age = 0;
        for (List<SoldItem> day : recentStoreSales) {
            age++;
            if (age >= 2) {
                candidates.addAll(day);
            }
        }
        for (int attempt = 0; attempt < 30 && !candidates.isEmpty(); attempt++) {
            SoldItem item = candidates.get(random.nextInt(candidates.size()));
            if (codesUsedByAnomalies.contains(item.code) || item.lot.boundDealerId == null) {
                continue;
            }
            Site away = storeOutside(item.store.regionCode().substring(0, 2));
            if (away == null) {
                return false;
            }
            // one traveller per dealer and destination province in two weeks, so no cluster forms by chance
            String pair = item.lot.boundDealerId + ">" + away.regionCode().substring(0, 2);
            Integer until = travelPairsUntilDay.get(pair);
            if (until != null && until > dayIndex) {
                continue;
            }
            travelPairsUntilDay.put(pair, dayIndex + 14);
            codesUsedByAnomalies.add(item.code);
            Instant at = at(date, 2 + random.nextInt(12), random.nextInt(60), random.nextInt(60));
            SimEvent scan = scanEvent(item.code, null, away.regionCode(), jitter(away.latitude()),
                    jitter(away.longitude()), ScannerRole.CONSUMER, null, at);
            today.add(scan);
            label(AnomalyKind.CONSUMER_TRAVEL, List.of(item.code, scan.eventId()), at, Map.of(
                    "boundDealerId", item.lot.boundDealerId, "soldAtLocationId", item.store.locationId(),
                    "scannedRegionCode", away.regionCode(),
                    "hoursSinceSale", String.valueOf((at.getEpochSecond() - item.soldAt.getEpochSecond()) / 3600)));
            return true;
        }
        return false;
    }

    /** HQ approves moving a case from one store to a store in another province; it then sells there. */
    private boolean transfer() {
        List<Site> stores = world.sites(LocationKind.STORE);
        for (int attempt = 0; attempt < 40; attempt++) {
            Site to = stores.get(random.nextInt(stores.size()));
            Site from = stores.get(random.nextInt(stores.size()));
            if (from.regionCode().startsWith(to.regionCode().substring(0, 2))) {
                continue;
            }
            List<String> skus = skusWithUnopenedCases(from.locationId()).stream()
                    .filter(sku -> world.assortment(to.locationId()).contains(sku)).toList();
            if (skus.isEmpty()) {
                continue;
            }
            String sku = skus.get(random.nextInt(skus.size()));
            List<CaseLot> moved = takeCases(from.locationId(), sku, 1);
            CaseLot lot = moved.get(0);
            String transferId = prefix + "-T" + (++transferCounter);
            Instant requested = at(date, 1, random.nextInt(60), 0);
            TransferLine line = TransferLine.newBuilder().setSku(sku).setBatch(lot.batch).setQuantity(lot.units).build();
            List<String> codes = new ArrayList<>();
            codes.add(lot.caseCode(config.codeDomain()));
            for (int i = 0; i < lot.units; i++) {
                codes.add(lot.itemCode(config.codeDomain(), i));
            }
            transferEvent(transferId, requested, TransferRequested.newBuilder().setFromLocationId(from.locationId())
                    .setToLocationId(to.locationId()).setLines(List.of(line)).setRequestedBy("store-manager-"
                            + from.locationId()).build());
            transferEvent(transferId, requested.plusSeconds(3600), TransferApproved.newBuilder()
                    .setApprovedBy("hq-planner").build());
            Instant dispatched = requested.plusSeconds(3 * 3600);
            // the transfer's events carry its stock moves (the inventory topology takes the units out of the
            // source at dispatch and into the destination at receipt): no TRANSFER_OUT/IN movements besides them
            transferEvent(transferId, dispatched, TransferDispatched.newBuilder()
                    .setLogisticsOrderId("LO-" + transferId).setLines(List.of(line)).setCodes(codes).build());
            lot.boundDealerId = to.dealerId();
            Instant received = at(date.plusDays(1), 0, 30 + random.nextInt(30), 0);
            dueActions.computeIfAbsent(dayIndex + 1, d -> new ArrayList<>()).add(() -> {
                transferEvent(transferId, received, TransferReceived.newBuilder()
                        .setReceivedBy("store-manager-" + to.locationId()).setLines(List.of(line)).build());
                lots(to.locationId(), sku).addFirst(lot); // near-expiry logic: moved stock sells first
            });
            codes.forEach(codesUsedByAnomalies::add);
            List<String> keys = new ArrayList<>(codes);
            keys.add(transferId);
            label(AnomalyKind.APPROVED_TRANSFER, keys, requested, Map.of(
                    "transferId", transferId, "fromLocationId", from.locationId(), "toLocationId",
                    to.locationId(), "fromRegionCode", from.regionCode(), "toRegionCode", to.regionCode(),
                    "sku", sku, "units", String.valueOf(lot.units)));
            return true;
        }
        return false;
    }

    private void transferEvent(String transferId, Instant at, Object payload) {
        emit(new SimEvent(Topics.TRANSFERS, transferId, TransferEvent.newBuilder().setEventId(nextEventId())
                .setOccurredAt(at).setSource("simulator:dms").setTransferId(transferId).setPayload(payload).build()));
    }

    // ---------------------------------------------------------------- helpers

    private SoldItem unusedSoldItem(List<SoldItem> items) {
        for (int attempt = 0; attempt < 30 && !items.isEmpty(); attempt++) {
            SoldItem item = items.get(random.nextInt(items.size()));
            if (!codesUsedByAnomalies.contains(item.code)) {
                return item;
            }
        }
        return null;
    }

    private Site storeOutside(String province) {
        List<Site> stores = world.sites(LocationKind.STORE).stream()
                .filter(s -> !s.regionCode().startsWith(province)).toList();
        return stores.isEmpty() ? null : stores.get(random.nextInt(stores.size()));
    }

    private Site storeFarFrom(Site site, double minKm) {
        List<Site> far = world.sites(LocationKind.STORE).stream()
                .filter(s -> World.distanceKm(site.latitude(), site.longitude(), s.latitude(), s.longitude()) >= minKm + 100)
                .toList();
        if (far.isEmpty()) {
            // a small world may have no store that far: use a province capital that is
            for (String province : world.regions().provinces()) {
                RegionTree.Coordinates c = world.regions().capital(province);
                if (World.distanceKm(site.latitude(), site.longitude(), c.latitude(), c.longitude()) >= minKm + 100) {
                    String county = world.regions().counties(world.regions().citiesWithCounties(province).get(0)).get(0);
                    return new Site("n/a", "somewhere", LocationKind.OTHER, county, c.latitude(), c.longitude(),
                            null, null, null);
                }
            }
            return null;
        }
        return far.get(random.nextInt(far.size()));
    }

    /**
     * A case a diversion may take: not one of a shipment labelled SCAN_BEFORE_SHIPMENT, whose label names the
     * shipment that every diversion alert on those goods names too (one fact would answer two labels).
     */
    private boolean divertible(CaseLot lot) {
        return !lookAlikeShipments.contains(lot.shipmentId);
    }

    private List<String> skusWithUnopenedCases(String locationId) {
        return skusWithUnopenedCases(locationId, lot -> true);
    }

    private List<String> skusWithUnopenedCases(String locationId, java.util.function.Predicate<CaseLot> eligible) {
        List<String> skus = new ArrayList<>();
        for (String sku : world.assortment(locationId)) {
            ArrayDeque<CaseLot> lots = lots(locationId, sku);
            if (lots.stream().anyMatch(l -> l.nextItem == 0 && eligible.test(l))) {
                skus.add(sku);
            }
        }
        return skus;
    }

    /** Takes up to {@code cases} unopened cases, oldest first; an opened case stays on the shelf. */
    private List<CaseLot> takeCases(String locationId, String sku, int cases) {
        return takeCases(locationId, sku, cases, lot -> true);
    }

    private List<CaseLot> takeCases(String locationId, String sku, int cases,
                                    java.util.function.Predicate<CaseLot> eligible) {
        List<CaseLot> taken = new ArrayList<>();
        Iterator<CaseLot> it = lots(locationId, sku).iterator();
        while (it.hasNext() && taken.size() < cases) {
            CaseLot lot = it.next();
            if (lot.nextItem == 0 && eligible.test(lot)) {
                it.remove();
                taken.add(lot);
            }
        }
        return taken;
    }

    private long onHand(String locationId, String sku) {
        long units = 0;
        for (CaseLot lot : lots(locationId, sku)) {
            units += lot.remaining();
        }
        return units;
    }

    private ArrayDeque<CaseLot> lots(String locationId, String sku) {
        return stock.computeIfAbsent(locationId, k -> new HashMap<>()).computeIfAbsent(sku, k -> new ArrayDeque<>());
    }

    private static Map<String, ShipmentLine> linesOf(List<CaseLot> load) {
        Map<String, ShipmentLine> lines = new LinkedHashMap<>();
        for (CaseLot lot : load) {
            String key = Topics.key(lot.product.sku(), lot.batch);
            ShipmentLine existing = lines.get(key);
            int quantity = (existing == null ? 0 : existing.getQuantity()) + lot.units;
            lines.put(key, ShipmentLine.newBuilder().setSku(lot.product.sku()).setBatch(lot.batch)
                    .setQuantity(quantity).setProductionDate(lot.production).setExpiryDate(lot.expiry).build());
        }
        return lines;
    }

    private void movement(String locationId, String sku, String batch, MovementKind kind, int quantity,
                          LocalDate production, LocalDate expiry, String reference, Long unitPriceFen, Instant at) {
        emit(new SimEvent(Topics.STOCK_MOVEMENTS, locationId, StockMovementRecorded.newBuilder()
                .setEventId(nextEventId()).setOccurredAt(at)
                .setSource(kind == MovementKind.SALE ? "simulator:pos" : "simulator:wms")
                .setLocationId(locationId).setSku(sku).setBatch(batch).setKind(kind).setQuantity(quantity)
                .setProductionDate(production).setExpiryDate(expiry).setReference(reference)
                .setUnitPriceFen(unitPriceFen).build()));
    }

    private String scan(String code, Site place, ScannerRole role, Long unitPriceFen, Instant at) {
        SimEvent event = scanEvent(code, place.locationId(), place.regionCode(), place.latitude(), place.longitude(),
                role, unitPriceFen, at);
        emit(event);
        return event.eventId();
    }

    private SimEvent scanEvent(String code, String locationId, String regionCode, double lat, double lon,
                               ScannerRole role, Long unitPriceFen, Instant at) {
        return new SimEvent(Topics.SCANS, code, ScanRecorded.newBuilder().setEventId(nextEventId())
                .setOccurredAt(at).setSource(role == ScannerRole.CONSUMER ? "simulator:consumer-app" : "simulator:pos")
                .setCode(code).setPlaceLocationId(locationId).setRegionCode(regionCode).setLatitude(lat)
                .setLongitude(lon).setScannerRole(role).setUnitPriceFen(unitPriceFen).build());
    }

    private void label(AnomalyKind kind, List<String> keys, Instant at, Map<String, String> details) {
        labelsToday.add(new Label(prefix + "-L" + (++labelCounter), kind, keys, at, details));
    }

    /** An event of a later day (or of today, when its time is today). */
    private void due(SimEvent event) {
        int day = (int) ChronoUnit.DAYS.between(config.firstMonday(),
                LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC));
        if (day <= dayIndex) {
            today.add(event);
        } else {
            dueEvents.computeIfAbsent(day, d -> new ArrayList<>()).add(event);
        }
    }

    private void emit(SimEvent event) {
        today.add(event);
    }

    private String nextEventId() {
        return prefix + "-" + Long.toString(++eventCounter, 36);
    }

    private ProductCategory category(String sku) {
        return world.product(sku).category();
    }

    private double jitter(double degrees) {
        return Math.round((degrees + (random.nextDouble() * 2 - 1) * 0.05) * 1e6) / 1e6;
    }

    private static Instant at(LocalDate day, int hour, int minute, int second) {
        // minutes and seconds may overflow into the next unit on purpose (e.g. 00:79 = 01:19)
        return day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(hour * 3600L + minute * 60L + second);
    }

    private static void runDue(List<Runnable> actions) {
        if (actions != null) {
            actions.forEach(Runnable::run);
        }
    }

    /** Poisson draws (Knuth below 30, normal approximation above). */
    private int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }

    /** A consumer unit sold at a store today. */
    private record SoldItem(String code, CaseLot lot, Site store, Instant soldAt, String scanEventId) {}

    /** A case of one SKU batch; its items are sold from the front. Identity matters (it moves between places). */
    static final class CaseLot {
        final Product product;
        final String batch;
        final LocalDate production;
        final LocalDate expiry;
        final long caseNo;
        final int units;
        int nextItem;
        String boundDealerId;
        String shipmentId;
        String palletCode;

        private final String itemGtin14;
        private final String caseGtin14;

        CaseLot(Product product, String batch, LocalDate production, LocalDate expiry, long caseNo) {
            this.itemGtin14 = Gs1.itemGtin14(product.gtin());
            this.caseGtin14 = Gs1.caseGtin14(product.gtin());
            this.product = product;
            this.batch = batch;
            this.production = production;
            this.expiry = expiry;
            this.caseNo = caseNo;
            this.units = product.unitsPerCase();
        }

        int remaining() {
            return units - nextItem;
        }

        String caseCode(String domain) {
            return Gs1.digitalLink(domain, caseGtin14, batch, Long.toString(caseNo));
        }

        /** Item serials extend the case serial by two digits: unique per GTIN, and printable from the case. */
        String itemCode(String domain, int index) {
            return Gs1.digitalLink(domain, itemGtin14, batch,
                    Long.toString(caseNo * 100 + index + 1)); // case serial + two digits, without String.format (hot)
        }

        CaseUnit toCaseUnit(String domain) {
            List<String> items = new ArrayList<>(units);
            for (int i = 0; i < units; i++) {
                items.add(itemCode(domain, i));
            }
            return CaseUnit.newBuilder().setCaseCode(caseCode(domain)).setSku(product.sku()).setBatch(batch)
                    .setItemCodes(items).build();
        }
    }
}
