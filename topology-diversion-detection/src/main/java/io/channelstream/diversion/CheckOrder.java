package io.channelstream.diversion;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.PricePeriod;
import io.channelstream.regions.RegionTree;
import io.channelstream.streams.RejectedRecordException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Orders that reached the orders topic: one shipping outside the dealer's authorized regions (the API
 * refuses those, so this catches orders that came another way, e.g. straight from an ERP) and each line
 * priced below the floor for its SKU where it ships to.
 */
final class CheckOrder implements Processor<String, OrderEvent, String, Alert> {

    private final RegionTree regions;
    private ProcessorContext<String, Alert> context;
    private MasterData masterData;

    CheckOrder(RegionTree regions) {
        this.regions = regions;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.masterData = new MasterData(context, regions);
    }

    @Override
    public void process(Record<String, OrderEvent> record) {
        OrderEvent order = record.value();
        if (order == null || !(order.getPayload() instanceof OrderPlaced placed)) {
            return;
        }
        String shipTo = placed.getShipTo().getRegionCode();
        if (!regions.exists(shipTo)) {
            throw new RejectedRecordException("payload.shipTo.regionCode",
                    "'" + shipTo + "' is not a GB/T 2260 province, city or county code");
        }
        List<Alert> alerts = new ArrayList<>();
        Optional<List<String>> authorized = masterData.authorizedRegionsAt(placed.getDealerId(), order.getOccurredAt());
        if (authorized.isPresent() && !regions.containedInAny(authorized.get(), shipTo)) {
            String routeTo = masterData.managerRegion(placed.getDealerId(), order.getOccurredAt())
                    .orElse(authorized.get().isEmpty() ? shipTo : authorized.get().get(0));
            alerts.add(DiversionAlerts.crossRegionOrder(order.getOrderId(), placed.getDealerId(), shipTo,
                    authorized.get(), routeTo, order.getOccurredAt(), DiversionAlerts.SOURCE, false));
        }
        for (OrderLine line : placed.getLines()) {
            Optional<PricePeriod> price = masterData.priceAt(line.getSku(), shipTo, order.getOccurredAt());
            if (price.isPresent() && line.getUnitPriceFen() < price.get().getFloorPriceFen()) {
                alerts.add(PriceFloor.belowFloorAlert(
                                DiversionAlerts.conditionKey(AlertType.PRICE_BELOW_FLOOR, "order", order.getOrderId(),
                                        line.getSku()),
                                line.getSku(), shipTo, line.getUnitPriceFen(), price.get(), order.getOccurredAt(),
                                "order " + order.getOrderId() + " of dealer " + placed.getDealerId(),
                                Map.of("orderId", order.getOrderId(), "dealerId", placed.getDealerId(),
                                        "quantity", Integer.toString(line.getQuantity())))
                        .setDealerId(placed.getDealerId())
                        .setLocationId(placed.getShipTo().getLocationId())
                        .build());
            }
        }
        for (Alert alert : alerts) {
            context.forward(record.withKey(alert.getConditionKey()).withValue(alert));
        }
    }
}
