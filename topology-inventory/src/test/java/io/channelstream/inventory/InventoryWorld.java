package io.channelstream.inventory;

import io.channelstream.events.Alert;
import io.channelstream.events.BatchControlEvent;
import io.channelstream.events.BatchLocked;
import io.channelstream.events.BatchReleased;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationKind;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderCancelled;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.OrderReservation;
import io.channelstream.events.ProductCategory;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.ShipTo;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** A small world for inventory stories: master data, stock facts, orders, shipments, recalls. */
final class InventoryWorld implements AutoCloseable {

    final EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
    final TopologyTestDriver driver;
    final TestOutputTopic<String, InventoryPosition> positions;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<String, OrderReservation> reservations;
    final KeyValueStore<String, SkuStock> store;
    private final TestInputTopic<String, StockMovementRecorded> movements;
    private final TestInputTopic<String, OrderEvent> orders;
    private final TestInputTopic<String, ShipmentDispatched> shipments;
    private final TestInputTopic<String, LocationUpserted> locations;
    private final TestInputTopic<String, ProductUpserted> products;
    private final TestInputTopic<String, BatchControlEvent> batchControl;

    InventoryWorld(Path stateDir, Instant start) {
        driver = new TopologyTestDriver(InventoryTopology.build(serdes),
                StreamsSettings.local("inventory-test", "unused:9092", stateDir).toProperties(), start);
        movements = input(Topics.STOCK_MOVEMENTS);
        orders = input(Topics.ORDERS);
        shipments = input(Topics.SHIPMENTS);
        locations = input(Topics.LOCATIONS);
        products = input(Topics.PRODUCTS);
        batchControl = input(Topics.BATCH_CONTROL);
        positions = output(Topics.INVENTORY_POSITIONS);
        alerts = output(Topics.ALERTS);
        reservations = output(Topics.ORDER_RESERVATIONS);
        store = driver.getKeyValueStore(InventoryTopology.STOCK_STORE);
    }

    void location(String locationId, String regionCode, Integer safetyStockUnits) {
        locations.pipeInput(locationId, LocationUpserted.newBuilder()
                .setEventId(id()).setOccurredAt(Instant.EPOCH).setSource("test")
                .setLocationId(locationId).setName("Depot " + locationId).setKind(LocationKind.DEALER)
                .setRegionCode(regionCode).setLatitude(23.1).setLongitude(113.3).setDealerId("D-" + locationId)
                .setSafetyStockUnits(safetyStockUnits).build());
    }

    void product(String sku, ProductCategory category, int expiryWarningDays) {
        products.pipeInput(sku, ProductUpserted.newBuilder()
                .setEventId(id()).setOccurredAt(Instant.EPOCH).setSource("test")
                .setSku(sku).setGtin("0690000000000").setName(sku).setCategory(category)
                .setShelfLifeDays(540).setExpiryWarningDays(expiryWarningDays).build());
    }

    void receive(String locationId, String sku, String batch, int units, LocalDate expiry, Instant at) {
        move(locationId, sku, batch, MovementKind.RECEIPT, units, expiry, at);
    }

    void move(String locationId, String sku, String batch, MovementKind kind, int units, LocalDate expiry,
              Instant at) {
        movements.pipeInput(locationId, StockMovementRecorded.newBuilder()
                .setEventId(id()).setOccurredAt(at).setSource("test")
                .setLocationId(locationId).setSku(sku).setBatch(batch).setKind(kind).setQuantity(units)
                .setExpiryDate(expiry).build(), at);
    }

    void placeOrder(String orderId, String locationId, Instant at, OrderLine... lines) {
        orders.pipeInput(orderId, OrderEvent.newBuilder()
                .setEventId(id()).setOccurredAt(at).setSource("test").setOrderId(orderId)
                .setPayload(OrderPlaced.newBuilder()
                        .setDealerId("D-1").setFulfillingLocationId(locationId)
                        .setShipTo(ShipTo.newBuilder().setRegionCode("440106").build())
                        .setPromo(false).setLines(List.of(lines)).build())
                .build(), at);
    }

    void cancelOrder(String orderId, Instant at) {
        orders.pipeInput(orderId, OrderEvent.newBuilder()
                .setEventId(id()).setOccurredAt(at).setSource("test").setOrderId(orderId)
                .setPayload(OrderCancelled.newBuilder().setDealerId("D-1").setReason("changed mind").build())
                .build(), at);
    }

    void ship(String shipmentId, String orderId, String fromLocationId, Instant at, ShipmentLine... lines) {
        shipments.pipeInput(shipmentId, ShipmentDispatched.newBuilder()
                .setEventId(id()).setOccurredAt(at).setSource("test").setShipmentId(shipmentId)
                .setOrderId(orderId).setFromLocationId(fromLocationId).setToLocationId("DL-DEST")
                .setLines(List.of(lines)).setPallets(List.of()).build(), at);
    }

    void lock(String sku, String batch, Instant at) {
        batchControl.pipeInput(Topics.key(sku, batch), BatchControlEvent.newBuilder()
                .setEventId(id()).setOccurredAt(at).setSource("test").setSku(sku).setBatch(batch)
                .setPayload(BatchLocked.newBuilder().setReason("QC failure").setLockedBy("hq").build()).build(), at);
    }

    void release(String sku, String batch, Instant at) {
        batchControl.pipeInput(Topics.key(sku, batch), BatchControlEvent.newBuilder()
                .setEventId(id()).setOccurredAt(at).setSource("test").setSku(sku).setBatch(batch)
                .setPayload(BatchReleased.newBuilder().setReleasedBy("hq").build()).build(), at);
    }

    static OrderLine line(String sku, int units) {
        return OrderLine.newBuilder().setSku(sku).setQuantity(units).setUnitPriceFen(10_000).build();
    }

    static ShipmentLine shipped(String sku, String batch, int units) {
        return ShipmentLine.newBuilder().setSku(sku).setBatch(batch).setQuantity(units).build();
    }

    InventoryPosition position(String locationId, String sku, String batch) {
        SkuStock stock = store.get(InventoryTopology.stockKey(locationId, sku));
        return stock == null ? null : stock.batch(batch);
    }

    private <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
        return driver.createInputTopic(topic.name(), Serdes.String().serializer(), serdes.value(topic).serializer());
    }

    private <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
        return driver.createOutputTopic(topic.name(), Serdes.String().deserializer(),
                serdes.value(topic).deserializer());
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Override
    public void close() {
        driver.close();
    }
}
