package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Live stock per location × SKU × batch. Stock movements are keyed by location, so every batch of
 * every SKU at one location lives in one partition and one store: a location's view, a SKU at a
 * location, and (later) first-expiry-first-out reservation across its batches are local reads.
 */
public final class InventoryTopology {

    /** Positions by {@code locationId|sku|batch}. */
    public static final String POSITIONS_STORE = "inventory-positions-store";

    private InventoryTopology() {
    }

    public static Topology build(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(POSITIONS_STORE),
                Serdes.String(),
                serdes.value(Topics.INVENTORY_POSITIONS)));

        builder.stream(Topics.STOCK_MOVEMENTS.name(),
                        Consumed.with(Serdes.String(), serdes.value(Topics.STOCK_MOVEMENTS))
                                .withName("stock-movements"))
                .process(ApplyStockMovement::new, POSITIONS_STORE)
                .to(Topics.INVENTORY_POSITIONS.name(),
                        Produced.with(Serdes.String(), serdes.value(Topics.INVENTORY_POSITIONS))
                                .withName("publish-inventory-position"));
        return builder.build();
    }

    /** The store key of one batch's position. */
    public static String positionKey(String locationId, String sku, String batch) {
        return Topics.key(locationId, sku, batch);
    }

    static InventoryPosition emptyPosition(StockMovementRecorded movement) {
        return InventoryPosition.newBuilder()
                .setEventId(movement.getEventId())
                .setOccurredAt(movement.getOccurredAt())
                .setSource("topology-inventory")
                .setLocationId(movement.getLocationId())
                .setSku(movement.getSku())
                .setBatch(movement.getBatch())
                .setOnHand(0)
                .setReserved(0)
                .setBlocked(0)
                .setAvailable(0)
                .setProductionDate(null)
                .setExpiryDate(null)
                .setLastMovementEventId(null)
                .build();
    }
}
