package io.channelstream.diversion;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.MovementKind;
import io.channelstream.events.PricePeriod;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.regions.RegionTree;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A sale recorded at a till (a SALE movement with its price) below the floor price of the SKU in the
 * selling location's region. A sale at a location not (yet) on record cannot be placed and is left to
 * the inventory topology, which owns that stream's validation.
 */
final class CheckSalePrice implements Processor<String, StockMovementRecorded, String, Alert> {

    private final RegionTree regions;
    private ProcessorContext<String, Alert> context;
    private MasterData masterData;

    CheckSalePrice(RegionTree regions) {
        this.regions = regions;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        this.masterData = new MasterData(context, regions);
    }

    static boolean isPricedSale(String key, StockMovementRecorded movement) {
        return movement != null && movement.getKind() == MovementKind.SALE && movement.getUnitPriceFen() != null;
    }

    @Override
    public void process(Record<String, StockMovementRecorded> record) {
        StockMovementRecorded sale = record.value();
        Optional<LocationUpserted> location = masterData.location(sale.getLocationId());
        if (location.isEmpty()) {
            return;
        }
        String regionCode = location.get().getRegionCode();
        Optional<PricePeriod> price = masterData.priceAt(sale.getSku(), regionCode, sale.getOccurredAt());
        if (price.isEmpty() || sale.getUnitPriceFen() >= price.get().getFloorPriceFen()) {
            return;
        }
        Alert alert = PriceFloor.belowFloorAlert(
                        DiversionAlerts.conditionKey(AlertType.PRICE_BELOW_FLOOR, "sale", sale.getEventId()),
                        sale.getSku(), regionCode, sale.getUnitPriceFen(), price.get(), sale.getOccurredAt(),
                        "a sale at " + sale.getLocationId(),
                        Map.of("saleEventId", sale.getEventId(), "locationId", sale.getLocationId(),
                                "batch", sale.getBatch(), "quantity", Integer.toString(sale.getQuantity())))
                .setLocationId(sale.getLocationId())
                .setDealerId(location.get().getDealerId())
                .setBatch(sale.getBatch())
                .build();
        context.forward(record.withKey(alert.getConditionKey()).withValue(alert));
    }
}
