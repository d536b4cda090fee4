package io.channelstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.CaseUnit;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.Pallet;
import io.channelstream.events.ProductCategory;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.TransferDispatched;
import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferReceived;
import io.channelstream.events.TransferRequested;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.TrafficGenerator.DemandKey;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The traffic is what the labels say it is: every anomaly kind is injected and labelled, and nothing
 * unlabelled looks like one (a detector scored on this traffic is only penalised for its own mistakes).
 */
class LabelledTrafficTest {

    private final SimulatorFixture.Run run = SimulatorFixture.small();
    private final World world = run.simulation().world();
    private final List<Label> labels = run.simulation().truth().labels();

    @Test
    void everyAnomalyKindIsInjectedAndLabelled() {
        Map<AnomalyKind, Long> byKind = labels.stream()
                .collect(Collectors.groupingBy(Label::kind, () -> new EnumMap<>(AnomalyKind.class), Collectors.counting()));
        assertThat(byKind.keySet()).containsExactlyInAnyOrder(AnomalyKind.values());
        assertThat(labels).allSatisfy(label -> assertThat(label.keys()).isNotEmpty());
        assertThat(labels.stream().map(Label::labelId).distinct().count()).isEqualTo(labels.size());
    }

    @Test
    void storeSalesAndReceiptsHappenInsideTheBoundRegionUnlessLabelledDiversion() {
        Set<String> diverted = keysOf(AnomalyKind.DIVERSION);
        Set<String> lateShipments = keysOf(AnomalyKind.SCAN_BEFORE_SHIPMENT);
        Map<String, String> boundDealer = new HashMap<>();
        int checked = 0;
        for (SimEvent event : run.events()) {
            bind(event, boundDealer);
            if (event.value() instanceof ScanRecorded scan
                    && (scan.getScannerRole() == ScannerRole.STORE_SALE
                    || scan.getScannerRole() == ScannerRole.DEALER_RECEIPT)) {
                String dealer = boundDealer.get(scan.getCode());
                if (dealer == null) {
                    assertThat(lateShipments).as("unbound %s scan %s", scan.getScannerRole(), scan.getCode())
                            .contains(scan.getCode());
                    continue;
                }
                boolean inside = world.authorizedAt(world.dealer(dealer), scan.getRegionCode());
                assertThat(inside || diverted.contains(scan.getCode()))
                        .as("%s of %s at %s, bound to %s", scan.getScannerRole(), scan.getCode(), scan.getRegionCode(),
                                dealer).isTrue();
                if (scan.getScannerRole() == ScannerRole.STORE_SALE) {
                    assertThat(inside).as("a labelled diverted code is sold outside").isEqualTo(
                            !diverted.contains(scan.getCode()));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void consumerScansOutsideTheBoundRegionAreAllLabelled() {
        Set<String> explained = new HashSet<>();
        for (AnomalyKind kind : List.of(AnomalyKind.DIVERSION, AnomalyKind.CONSUMER_TRAVEL, AnomalyKind.CLONED_CODE,
                AnomalyKind.UNKNOWN_CODE)) {
            explained.addAll(keysOf(kind));
        }
        Map<String, String> boundDealer = new HashMap<>();
        for (SimEvent event : run.events()) {
            bind(event, boundDealer);
            if (event.value() instanceof ScanRecorded scan && scan.getScannerRole() == ScannerRole.CONSUMER) {
                String dealer = boundDealer.get(scan.getCode());
                boolean inside = dealer != null && world.authorizedAt(world.dealer(dealer), scan.getRegionCode());
                assertThat(inside || explained.contains(scan.getCode())).as("consumer scan of %s", scan.getCode())
                        .isTrue();
            }
        }
    }

    @Test
    void labelledAnomaliesAreWhatTheirLabelsSay() {
        Map<String, List<ScanRecorded>> scansByCode = new HashMap<>();
        Set<String> issued = new HashSet<>();
        Map<String, OrderPlaced> orders = new HashMap<>();
        List<String> streamOrder = new ArrayList<>();
        for (SimEvent event : run.events()) {
            if (event.value() instanceof ScanRecorded scan) {
                scansByCode.computeIfAbsent(scan.getCode(), c -> new ArrayList<>()).add(scan);
                streamOrder.add("scan:" + scan.getCode());
            } else if (event.value() instanceof ShipmentDispatched shipment) {
                casesOf(shipment).forEach(c -> {
                    issued.add(c.getCaseCode());
                    issued.addAll(c.getItemCodes());
                });
                streamOrder.add("shipment:" + shipment.getShipmentId());
            } else if (event.value() instanceof OrderEvent order && order.getPayload() instanceof OrderPlaced placed) {
                orders.put(order.getOrderId(), placed);
            }
        }
        for (Label label : labels) {
            switch (label.kind()) {
                case CLONED_CODE -> {
                    List<ScanRecorded> sightings = scansByCode.get(label.keys().get(0));
                    assertThat(sightings).hasSizeGreaterThanOrEqualTo(2);
                    ScanRecorded a = sightings.get(0);
                    ScanRecorded b = sightings.get(1);
                    double km = World.distanceKm(a.getLatitude(), a.getLongitude(), b.getLatitude(), b.getLongitude());
                    double hours = Math.abs(b.getOccurredAt().toEpochMilli() - a.getOccurredAt().toEpochMilli()) / 3.6e6;
                    assertThat(km / hours).as("km/h between the two sightings").isGreaterThan(1500);
                }
                case CONSUMER_TRAVEL -> {
                    List<ScanRecorded> sightings = scansByCode.get(label.keys().get(0));
                    ScanRecorded sale = sightings.get(0);
                    ScanRecorded away = sightings.get(sightings.size() - 1);
                    double km = World.distanceKm(sale.getLatitude(), sale.getLongitude(), away.getLatitude(),
                            away.getLongitude());
                    double hours = (away.getOccurredAt().toEpochMilli() - sale.getOccurredAt().toEpochMilli()) / 3.6e6;
                    assertThat(hours).isGreaterThanOrEqualTo(24);
                    assertThat(km / hours).as("a traveller's speed").isLessThan(200);
                }
                case UNKNOWN_CODE -> {
                    assertThat(issued).doesNotContain(label.keys().get(0));
                    assertThat(scansByCode).containsKey(label.keys().get(0));
                }
                case PRICE_BELOW_FLOOR -> {
                    ScanRecorded sale = scansByCode.get(label.keys().get(0)).get(0);
                    long floor = world.priceAt(skuOf(label), sale.getRegionCode()).floorPriceFen();
                    assertThat(sale.getUnitPriceFen()).isLessThan(floor);
                }
                case CROSS_REGION_ORDER -> {
                    OrderPlaced placed = orders.get(label.keys().get(0));
                    assertThat(world.authorizedAt(world.dealer(placed.getDealerId()), placed.getShipTo().getRegionCode()))
                            .isFalse();
                }
                case SCAN_BEFORE_SHIPMENT -> {
                    String shipmentId = label.keys().get(0);
                    String someCase = label.keys().get(1);
                    assertThat(streamOrder.indexOf("scan:" + someCase))
                            .isLessThan(streamOrder.indexOf("shipment:" + shipmentId)).isNotNegative();
                }
                case DIVERSION, APPROVED_TRANSFER -> assertThat(label.keys()).anyMatch(issued::contains);
            }
        }
    }

    @Test
    void normalPricesRespectTheFloorAndOrdersStayInRegion() {
        Set<String> belowFloor = keysOf(AnomalyKind.PRICE_BELOW_FLOOR);
        Set<String> crossRegion = keysOf(AnomalyKind.CROSS_REGION_ORDER);
        for (SimEvent event : run.events()) {
            if (event.value() instanceof StockMovementRecorded m && m.getKind() == MovementKind.SALE
                    && !belowFloor.contains(m.getEventId())) {
                String region = world.site(m.getLocationId()).regionCode();
                assertThat(m.getUnitPriceFen()).isGreaterThanOrEqualTo(world.priceAt(m.getSku(), region).floorPriceFen());
            }
            if (event.value() instanceof OrderEvent order && order.getPayload() instanceof OrderPlaced placed
                    && !crossRegion.contains(order.getOrderId())) {
                assertThat(world.authorizedAt(world.dealer(placed.getDealerId()), placed.getShipTo().getRegionCode()))
                        .isTrue();
            }
        }
    }

    @Test
    void stockCountedTheInventoryTopologysWayNeverGoesNegative() {
        // receipts and transfers in add, sales and transfers out take, a shipment event takes from its sender,
        // a transfer's dispatch takes from its source and its receipt adds to its destination
        Map<String, Long> onHand = new HashMap<>();
        Map<String, String[]> transferEnds = new HashMap<>();
        for (SimEvent event : run.events()) {
            if (event.value() instanceof TransferEvent transfer) {
                if (transfer.getPayload() instanceof TransferRequested requested) {
                    transferEnds.put(transfer.getTransferId(),
                            new String[] {requested.getFromLocationId(), requested.getToLocationId()});
                } else if (transfer.getPayload() instanceof TransferDispatched dispatched) {
                    String from = transferEnds.get(transfer.getTransferId())[0];
                    dispatched.getLines().forEach(line -> {
                        String key = from + "|" + line.getSku() + "|" + line.getBatch();
                        assertThat(onHand.merge(key, (long) -line.getQuantity(), Long::sum)).as("%s dispatched", key)
                                .isNotNegative();
                    });
                } else if (transfer.getPayload() instanceof TransferReceived received) {
                    String to = transferEnds.get(transfer.getTransferId())[1];
                    received.getLines().forEach(line -> onHand.merge(to + "|" + line.getSku() + "|" + line.getBatch(),
                            (long) line.getQuantity(), Long::sum));
                }
            }
            if (event.value() instanceof StockMovementRecorded m) {
                long sign = switch (m.getKind()) {
                    case RECEIPT, TRANSFER_IN -> 1;
                    case SALE, TRANSFER_OUT, SHIPMENT_OUT -> -1;
                    default -> 0;
                };
                String key = m.getLocationId() + "|" + m.getSku() + "|" + m.getBatch();
                long after = onHand.merge(key, sign * m.getQuantity(), Long::sum);
                assertThat(after).as("%s after %s %s", key, m.getKind(), m.getEventId()).isNotNegative();
            } else if (event.value() instanceof ShipmentDispatched shipment) {
                shipment.getLines().forEach(line -> {
                    String key = shipment.getFromLocationId() + "|" + line.getSku() + "|" + line.getBatch();
                    assertThat(onHand.merge(key, (long) -line.getQuantity(), Long::sum)).as("%s shipped", key)
                            .isNotNegative();
                });
            }
        }
        assertThat(onHand).isNotEmpty();
    }

    @Test
    void aTransferMovesItsStockThroughItsEventsOnlyNeverAlsoAsMovements() {
        // the inventory topology moves a transfer's units at dispatch and receipt; movements besides would count twice
        Set<String> transfers = run.events().stream().filter(e -> e.value() instanceof TransferEvent)
                .map(e -> ((TransferEvent) e.value()).getTransferId()).collect(Collectors.toSet());
        assertThat(transfers).isNotEmpty();
        assertThat(run.events()).filteredOn(e -> e.value() instanceof StockMovementRecorded m
                        && (m.getKind() == MovementKind.TRANSFER_OUT || m.getKind() == MovementKind.TRANSFER_IN))
                .isEmpty();
    }

    @Test
    void trueWeeklyDemandIsTheSumOfTheGeneratedSales() {
        Map<DemandKey, Long> recount = new HashMap<>();
        for (SimEvent event : run.events()) {
            if (event.value() instanceof StockMovementRecorded m && m.getKind() == MovementKind.SALE) {
                String dealer = world.site(m.getLocationId()).dealerId();
                LocalDate week = DemandModel.monday(LocalDate.ofInstant(m.getOccurredAt(), ZoneOffset.UTC));
                recount.merge(new DemandKey(m.getSku(), dealer, week), (long) m.getQuantity(), Long::sum);
            }
        }
        List<DemandTruth> truth = run.simulation().truth().demand();
        Map<DemandKey, Long> written = new HashMap<>();
        truth.stream().filter(t -> t.soldUnits() > 0)
                .forEach(t -> written.put(new DemandKey(t.sku(), t.dealerId(), t.weekStart()), t.soldUnits()));
        assertThat(written).isEqualTo(recount);

        // the model's expectation and the realised sales agree in aggregate (Poisson noise, few stock-outs)
        double expected = truth.stream().mapToDouble(DemandTruth::expectedUnits).sum();
        double sold = truth.stream().mapToLong(DemandTruth::soldUnits).sum();
        assertThat(sold / expected).isBetween(0.9, 1.1);
    }

    @Test
    void theSeedsCausesShowInTheTraffic() {
        // Friday +20 % over an average day
        Map<DayOfWeek, Long> unitsByDay = new EnumMap<>(DayOfWeek.class);
        int diaperOrders = 0;
        int diaperOrdersWithWipes = 0;
        Set<String> crossRegion = keysOf(AnomalyKind.CROSS_REGION_ORDER);
        for (SimEvent event : run.events()) {
            if (event.value() instanceof StockMovementRecorded m && m.getKind() == MovementKind.SALE
                    && m.getReference() != null && m.getReference().startsWith("pos:")) {
                unitsByDay.merge(LocalDate.ofInstant(m.getOccurredAt(), ZoneOffset.UTC).getDayOfWeek(),
                        (long) m.getQuantity(), Long::sum);
            }
            if (event.value() instanceof OrderEvent order && order.getPayload() instanceof OrderPlaced placed
                    && !crossRegion.contains(order.getOrderId())) {
                Set<ProductCategory> categories = placed.getLines().stream()
                        .map(l -> world.product(l.getSku()).category()).collect(Collectors.toSet());
                if (categories.contains(ProductCategory.DIAPERS)) {
                    diaperOrders++;
                    if (categories.contains(ProductCategory.WIPES)) {
                        diaperOrdersWithWipes++;
                    }
                }
            }
        }
        double averageDay = unitsByDay.values().stream().mapToLong(Long::longValue).sum() / 7.0;
        assertThat(unitsByDay.get(DayOfWeek.FRIDAY) / averageDay).isBetween(1.10, 1.30);
        assertThat(diaperOrders).isGreaterThan(50);
        assertThat((double) diaperOrdersWithWipes / diaperOrders).isBetween(0.68, 0.92);

        DemandModel model = new DemandModel(run.config());
        assertThat(model.seasonFactor(ProductCategory.WIPES, LocalDate.of(2026, 7, 15))).isEqualTo(1.35);
        assertThat(model.seasonFactor(ProductCategory.WIPES, LocalDate.of(2026, 11, 15))).isEqualTo(1.0);
        assertThat(model.seasonFactor(ProductCategory.DIAPERS, LocalDate.of(2026, 7, 15))).isEqualTo(1.0);
        // buy-two-get-one doubles a promoted SKU's demand in its week, and only then
        LocalDate week = SimulatorFixture.FIRST_MONDAY;
        String promoted = null;
        while (promoted == null) {
            LocalDate monday = week;
            promoted = world.products().stream().map(World.Product::sku)
                    .filter(sku -> model.promoted(sku, monday)).findFirst().orElse(null);
            week = promoted == null ? week.plusWeeks(1) : week;
        }
        assertThat(model.promoFactor(promoted, week.plusDays(2))).isEqualTo(2.0);
        assertThat(model.dailyMean(7.0, promoted, world.product(promoted).category(), week.plusDays(3))
                / model.dailyMean(7.0, promoted, world.product(promoted).category(), week.plusDays(3 + 7)))
                .isCloseTo(model.promoted(promoted, week.plusWeeks(1)) ? 1.0 / (1 + 0.003) : 2.0 / (1 + 0.003),
                        org.assertj.core.data.Offset.offset(0.05));
        // infant formula warns six months before expiry
        assertThat(world.products()).filteredOn(p -> p.category() == ProductCategory.INFANT_FORMULA)
                .allSatisfy(p -> assertThat(p.expiryWarningDays()).isEqualTo(180));
    }

    private Set<String> keysOf(AnomalyKind kind) {
        return labels.stream().filter(l -> l.kind() == kind).flatMap(l -> l.keys().stream()).collect(Collectors.toSet());
    }

    private static String skuOf(Label label) {
        return label.details().get("sku");
    }

    private void bind(SimEvent event, Map<String, String> boundDealer) {
        if (event.value() instanceof ShipmentDispatched shipment && shipment.getToDealerId() != null) {
            for (CaseUnit c : casesOf(shipment)) {
                boundDealer.put(c.getCaseCode(), shipment.getToDealerId());
                c.getItemCodes().forEach(code -> boundDealer.put(code, shipment.getToDealerId()));
            }
        }
        if (event.topic() == Topics.TRANSFERS) {
            TransferEvent transfer = (TransferEvent) event.value();
            if (transfer.getPayload() instanceof TransferRequested requested) {
                pendingTransferTo.put(transfer.getTransferId(), requested.getToLocationId());
            } else if (transfer.getPayload() instanceof TransferDispatched dispatched) {
                String dealer = world.site(pendingTransferTo.get(transfer.getTransferId())).dealerId();
                dispatched.getCodes().forEach(code -> boundDealer.put(code, dealer));
            }
        }
    }

    private final Map<String, String> pendingTransferTo = new HashMap<>();

    private static List<CaseUnit> casesOf(ShipmentDispatched shipment) {
        List<CaseUnit> cases = new ArrayList<>(shipment.getLooseCases());
        for (Pallet pallet : shipment.getPallets()) {
            cases.addAll(pallet.getCases());
        }
        return cases;
    }
}
