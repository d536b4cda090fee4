package io.channelstream.schemas;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.BatchControlEvent;
import io.channelstream.events.BatchLocked;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.DealerUpserted;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationKind;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.Pallet;
import io.channelstream.events.ProductCategory;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.PromotionMechanism;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.events.RegionalPriceUpserted;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.events.Severity;
import io.channelstream.events.ShipTo;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.TraceRecorded;
import io.channelstream.events.TraceStep;
import io.channelstream.events.TransferDispatched;
import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferLine;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** One realistic event per catalogued topic: infant formula moving from Shanghai's warehouse to a dealer. */
final class SampleEvents {

    static final Instant AT = Instant.parse("2025-06-01T08:30:00Z");
    static final String SKU = "IF-STAGE2-800G";
    static final String BATCH = "B20250312";
    static final LocalDate PRODUCED = LocalDate.of(2025, 3, 12);
    static final LocalDate EXPIRES = LocalDate.of(2026, 9, 11);
    static final String ITEM_CODE = "https://id.example.cn/01/06901234567892/10/B20250312/21/000001";

    private SampleEvents() {
    }

    /** Topic -> one event for it, in catalogue order. */
    static Map<Topic<?>, SpecificRecord> oneForEachTopic() {
        Map<Topic<?>, SpecificRecord> events = new LinkedHashMap<>();
        events.put(Topics.PRODUCTS, product());
        events.put(Topics.LOCATIONS, location());
        events.put(Topics.DEALERS, dealer());
        events.put(Topics.REGIONAL_PRICES, regionalPrice());
        events.put(Topics.PROMOTIONS, promotion());
        events.put(Topics.ORDERS, orderPlaced());
        events.put(Topics.STOCK_MOVEMENTS, stockReceipt());
        events.put(Topics.SHIPMENTS, shipment());
        events.put(Topics.SCANS, consumerScan());
        events.put(Topics.TRANSFERS, transferDispatched());
        events.put(Topics.BATCH_CONTROL, batchLocked());
        events.put(Topics.TRACE_RECORDS, sterilisation());
        events.put(Topics.INVENTORY_POSITIONS, position());
        events.put(Topics.ALERTS, diversionAlert());
        events.put(Topics.ORDER_RESERVATIONS, reservationRejected());
        events.put(Topics.DEMAND_FEATURES, demandFeatures());
        events.put(Topics.ORDER_SUGGESTIONS, orderSuggestion());
        events.put(Topics.CATEGORY_SEASONALITY, categorySeasonality());
        events.put(Topics.LATE_EVENTS, lateSale());
        return events;
    }

    static ProductUpserted product() {
        return ProductUpserted.newBuilder().setEventId("evt-p1").setOccurredAt(AT).setSource("erp")
                .setSku(SKU).setGtin("06901234567892").setName("Stage 2 follow-on formula 800 g")
                .setCategory(ProductCategory.INFANT_FORMULA).setSizeLabel("stage 2, 800 g")
                .setShelfLifeDays(548).setExpiryWarningDays(180).build();
    }

    static LocationUpserted location() {
        return LocationUpserted.newBuilder().setEventId("evt-l1").setOccurredAt(AT).setSource("erp")
                .setLocationId("DLR-310115-01").setName("Pudong dealer warehouse").setKind(LocationKind.DEALER)
                .setRegionCode("310115").setLatitude(31.2213).setLongitude(121.5447)
                .setParentLocationId("RDC-EAST").setDealerId("D-0042").setSafetyStockUnits(120).build();
    }

    static DealerUpserted dealer() {
        return DealerUpserted.newBuilder().setEventId("evt-d1").setOccurredAt(AT).setSource("erp")
                .setDealerId("D-0042").setName("Pudong Mother & Baby Trading").setTier(1)
                .setAuthorizedRegionCodes(List.of("3101", "320500")).setEffectiveFrom(AT)
                .setRegionalManagerRegionCode("31").build();
    }

    static RegionalPriceUpserted regionalPrice() {
        return RegionalPriceUpserted.newBuilder().setEventId("evt-rp1").setOccurredAt(AT).setSource("erp")
                .setSku(SKU).setRegionCode("31").setListPriceFen(32_800L).setFloorPriceFen(29_800L)
                .setEffectiveFrom(AT).build();
    }

    static PromotionPlanned promotion() {
        return PromotionPlanned.newBuilder().setEventId("evt-pr1").setOccurredAt(AT).setSource("erp")
                .setPromotionId("PROMO-2025-W27-IF2").setSku(SKU).setRegionCode("31")
                .setFirstDay(LocalDate.of(2025, 6, 30)).setLastDay(LocalDate.of(2025, 7, 6))
                .setMechanism(PromotionMechanism.BUY_TWO_GET_ONE).setExpectedLift(2.0).build();
    }

    static OrderEvent orderPlaced() {
        var placed = OrderPlaced.newBuilder().setDealerId("D-0042").setFulfillingLocationId("RDC-EAST")
                .setShipTo(ShipTo.newBuilder().setLocationId("DLR-310115-01").setRegionCode("310115")
                        .setLatitude(31.2213).setLongitude(121.5447).build())
                .setPromo(true)
                .setLines(List.of(new OrderLine(SKU, 240, 25_500L), new OrderLine("WIPES-80", 120, 1_590L)))
                .build();
        return OrderEvent.newBuilder().setEventId("evt-o1").setOccurredAt(AT).setSource("dealer-portal")
                .setOrderId("ORD-20250601-0001").setPayload(placed).build();
    }

    static StockMovementRecorded stockReceipt() {
        return StockMovementRecorded.newBuilder().setEventId("evt-m1").setOccurredAt(AT).setSource("wms")
                .setLocationId("DLR-310115-01").setSku(SKU).setBatch(BATCH).setKind(MovementKind.RECEIPT)
                .setQuantity(240).setProductionDate(PRODUCED).setExpiryDate(EXPIRES)
                .setReference("SHP-77").setUnitPriceFen(null).build();
    }

    static ShipmentDispatched shipment() {
        var caseUnit = new CaseUnit("CASE-0001", SKU, BATCH, List.of(ITEM_CODE));
        return ShipmentDispatched.newBuilder().setEventId("evt-s1").setOccurredAt(AT).setSource("wms")
                .setShipmentId("SHP-77").setOrderId("ORD-20250601-0001").setFromLocationId("RDC-EAST")
                .setToLocationId("DLR-310115-01").setToDealerId("D-0042")
                .setLines(List.of(new ShipmentLine(SKU, BATCH, 240, PRODUCED, EXPIRES)))
                .setPallets(List.of(new Pallet("00369012345000000017", List.of(caseUnit))))
                .setLooseCases(List.of(new CaseUnit("CASE-0002", SKU, BATCH, List.of())))
                .build();
    }

    static ScanRecorded consumerScan() {
        return ScanRecorded.newBuilder().setEventId("evt-sc1").setOccurredAt(AT).setSource("consumer-app")
                .setCode(ITEM_CODE).setPlaceLocationId(null).setRegionCode("440305")
                .setLatitude(22.5333).setLongitude(113.9304).setScannerRole(ScannerRole.CONSUMER)
                .setUnitPriceFen(null).build();
    }

    static TransferEvent transferDispatched() {
        var dispatched = TransferDispatched.newBuilder().setLogisticsOrderId("SF1234567890")
                .setLines(List.of(new TransferLine(SKU, BATCH, 24))).setCodes(List.of("CASE-0001")).build();
        return TransferEvent.newBuilder().setEventId("evt-t1").setOccurredAt(AT).setSource("api")
                .setTransferId("TRF-9").setPayload(dispatched).build();
    }

    static BatchControlEvent batchLocked() {
        return BatchControlEvent.newBuilder().setEventId("evt-b1").setOccurredAt(AT).setSource("qms")
                .setSku(SKU).setBatch(BATCH).setPayload(new BatchLocked("retest of vitamin D content", "qa-li"))
                .build();
    }

    static TraceRecorded sterilisation() {
        return TraceRecorded.newBuilder().setEventId("evt-tr1").setOccurredAt(AT).setSource("mes")
                .setSku(SKU).setBatch(BATCH).setStep(TraceStep.PRODUCTION).setPlace("Plant 2, line 3")
                .setAttributes(Map.of("sterilisationTempCelsius", "137", "fillingRoomClass", "ISO 7"))
                .setQcReportRef("QC-2025-0312-07").build();
    }

    static InventoryPosition position() {
        return InventoryPosition.newBuilder().setEventId("evt-ip1").setOccurredAt(AT)
                .setSource("topology-inventory").setLocationId("DLR-310115-01").setSku(SKU).setBatch(BATCH)
                .setOnHand(240).setReserved(40).setBlocked(0).setAvailable(200)
                .setProductionDate(PRODUCED).setExpiryDate(EXPIRES).setLastMovementEventId("evt-m1").build();
    }

    static io.channelstream.events.OrderReservation reservationRejected() {
        return io.channelstream.events.OrderReservation.newBuilder().setEventId("evt-r1").setOccurredAt(AT)
                .setSource("topology-inventory").setOrderId("PO-1").setDealerId("D-0042")
                .setLocationId("RDC-EAST").setStatus(io.channelstream.events.ReservationStatus.REJECTED)
                .setLines(java.util.List.of(new io.channelstream.events.ReservationLine(SKU, null, 40, 12)))
                .setReason("not enough available stock at RDC-EAST").build();
    }

    static io.channelstream.events.DemandFeatures demandFeatures() {
        java.time.LocalDate week = java.time.LocalDate.parse("2026-11-16");
        return io.channelstream.events.DemandFeatures.newBuilder().setEventId("evt-f1").setOccurredAt(AT)
                .setSource("topology-forecast-features").setDealerId("D-0042").setSku(SKU)
                .setCategory("INFANT_FORMULA").setAsOfWeekStart(week).setDemandSignal("orders")
                .setWeeks(java.util.List.of(new io.channelstream.events.WeeklyDemand(week, 40L, 796_000L, 40L, 0L,
                        false)))
                .setCurrentWeekUnits(40).setCurrentWeekRevenueFen(796_000).setMeanWeeklyUnits(38.5)
                .setTrendUnitsPerWeek(0.4).setStdDevWeeklyUnits(5.1).setCoefficientOfVariation(0.13)
                .setDayOfWeekIndex(java.util.List.of(0.9, 0.95, 1.0, 1.0, 1.2, 1.0, 0.95)).setPromoLift(2.0)
                .setPromoWeeks(2).setSeasonalityIndex(1.0).build();
    }

    static io.channelstream.events.OrderSuggestion orderSuggestion() {
        return io.channelstream.events.OrderSuggestion.newBuilder().setEventId("evt-s1").setOccurredAt(AT)
                .setSource("topology-forecast-features").setDealerId("D-0042").setSku(SKU).setCategory(null)
                .setSuggestedUnits(60).setMethod("holt-winters").setForecastWeekStart(
                        java.time.LocalDate.parse("2026-11-23"))
                .setForecastWeeklyUnits(java.util.List.of(40.0, 41.0)).setSeasonalNaiveWeeklyUnits(
                        java.util.List.of(38.0, 39.0))
                .setLeadTimeDays(21).setExpectedDemandOverLeadTimeUnits(121.0).setSafetyStockFactor(1.65)
                .setForecastErrorStdDevUnits(6.0).setSafetyStockUnits(17.0).setAvailableUnits(70).setInTransitUnits(8)
                .setLevelUnitsPerWeek(40.0).setTrendUnitsPerWeek(0.4).setSeasonalIndices(java.util.List.of(1.0))
                .setPromoLift(null).setHistoryWeeks(26).setExplanation("demand 121 + safety 17 - available 70 - in transit 8")
                .build();
    }

    static io.channelstream.events.CategorySeasonality categorySeasonality() {
        return io.channelstream.events.CategorySeasonality.newBuilder().setEventId("evt-c1").setOccurredAt(AT)
                .setSource("topology-forecast-features").setCategory("WIPES")
                .setAsOfWeekStart(java.time.LocalDate.parse("2026-04-06")).setWeeksOfHistory(104)
                .setWeekOfYearIndex(java.util.List.of(0.9, 1.35)).setRecentWeeklyUnits(1000.0)
                .setOutlookWeekStart(java.time.LocalDate.parse("2026-06-01")).setOutlookWeeklyUnits(1350.0)
                .setOutlookRiseRatio(1.35).build();
    }

    static io.channelstream.events.LateEvent lateSale() {
        return io.channelstream.events.LateEvent.newBuilder().setEventId("evt-late1").setOccurredAt(AT)
                .setSource("topology-forecast-features").setFactTopic("stock-movements").setFactEventId("evt-m9")
                .setFactKind("SALE").setDealerId("D-0042").setUnits(3)
                .setWeekStart(java.time.LocalDate.parse("2026-11-09")).setWeekClosedAt(AT).setStreamTimeAt(AT)
                .setLateByMillis(3_600_000).setReason("arrived after the week closed (end + 2 days grace)").build();
    }

    static Alert diversionAlert() {
        return Alert.newBuilder().setEventId("alert-1").setOccurredAt(AT).setSource("topology-diversion-detection")
                .setAlertType(AlertType.DIVERSION).setSeverity(Severity.CRITICAL).setStatus(AlertStatus.RAISED)
                .setConditionKey(Topics.key("DIVERSION", ITEM_CODE)).setRegionCode("31")
                .setLocationId(null).setDealerId("D-0042").setSku(SKU).setBatch(BATCH).setCode(ITEM_CODE)
                .setSummary("Code bound to Shanghai (31) scanned in Shenzhen (440305)")
                .setEvidence(Map.of("boundRegion", "31", "scannedRegion", "440305", "distanceKm", "1213"))
                .build();
    }
}
