package io.channelstream.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.DeadLetterHandler;
import io.channelstream.streams.StreamsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stories of stock at one location, told through the topology with event time under the test's control. */
class InventoryTopologyTest {

    private static final Instant MONDAY = Instant.parse("2026-11-16T08:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, StockMovementRecorded> movements;
    private TestInputTopic<String, byte[]> rawMovements;
    private TestOutputTopic<String, InventoryPosition> positions;
    private TestOutputTopic<String, byte[]> deadLetters;
    private KeyValueStore<String, SkuStock> store;

    @BeforeEach
    void startTopology() {
        EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        driver = new TopologyTestDriver(InventoryTopology.build(serdes),
                StreamsSettings.local("inventory-test", "unused:9092", stateDir).toProperties());
        movements = driver.createInputTopic(Topics.STOCK_MOVEMENTS.name(), Serdes.String().serializer(),
                serdes.value(Topics.STOCK_MOVEMENTS).serializer());
        rawMovements = driver.createInputTopic(Topics.STOCK_MOVEMENTS.name(), Serdes.String().serializer(),
                new ByteArraySerializer());
        positions = driver.createOutputTopic(Topics.INVENTORY_POSITIONS.name(), Serdes.String().deserializer(),
                serdes.value(Topics.INVENTORY_POSITIONS).deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
                new ByteArrayDeserializer());
        store = driver.getKeyValueStore(InventoryTopology.STOCK_STORE);
    }

    /** A batch's position as the stock store holds it. */
    private InventoryPosition position(String locationId, String sku, String batch) {
        SkuStock stock = store.get(InventoryTopology.stockKey(locationId, sku));
        return stock == null ? null : stock.batch(batch);
    }

    @AfterEach
    void closeTopology() {
        driver.close();
    }

    @Test
    void receiptsAndSalesMoveOnHandPerBatch() {
        receive("DL-1", "SKU-A", "B1", MovementKind.RECEIPT, 100, MONDAY);
        receive("DL-1", "SKU-A", "B2", MovementKind.RECEIPT, 40, MONDAY.plusSeconds(60));
        receive("DL-1", "SKU-A", "B1", MovementKind.SALE, 30, MONDAY.plusSeconds(120));
        receive("DL-1", "SKU-A", "B1", MovementKind.ADJUSTMENT, -2, MONDAY.plusSeconds(180));

        assertThat(position("DL-1", "SKU-A", "B1").getOnHand()).isEqualTo(68);
        assertThat(position("DL-1", "SKU-A", "B1").getAvailable()).isEqualTo(68);
        assertThat(position("DL-1", "SKU-A", "B2").getOnHand()).isEqualTo(40);
        List<TestRecord<String, InventoryPosition>> published = positions.readRecordsToList();
        assertThat(published).extracting(TestRecord::key)
                .containsExactly("DL-1|SKU-A|B1", "DL-1|SKU-A|B2", "DL-1|SKU-A|B1", "DL-1|SKU-A|B1");
        assertThat(published).extracting(record -> record.value().getOnHand()).containsExactly(100L, 40L, 70L, 68L);
    }

    @Test
    void transfersMoveStockOutOfOneLocationAndIntoAnother() {
        receive("WH-1", "SKU-A", "B1", MovementKind.RECEIPT, 500, MONDAY);
        receive("WH-1", "SKU-A", "B1", MovementKind.TRANSFER_OUT, 120, MONDAY.plusSeconds(60));
        receive("DL-2", "SKU-A", "B1", MovementKind.TRANSFER_IN, 120, MONDAY.plusSeconds(3600));

        assertThat(position("WH-1", "SKU-A", "B1").getOnHand()).isEqualTo(380);
        assertThat(position("DL-2", "SKU-A", "B1").getOnHand()).isEqualTo(120);
    }

    @Test
    void aLateMovementStillCountsAndEventTimeComesFromOccurredAt() {
        receive("DL-1", "SKU-A", "B1", MovementKind.RECEIPT, 10, MONDAY.plusSeconds(3600));
        // recorded at the till yesterday, uploaded (and stamped by the broker) only now
        Instant yesterday = MONDAY.minusSeconds(86_400);
        movements.pipeInput("DL-1", movement("DL-1", "SKU-A", "B1", MovementKind.SALE, 4, yesterday),
                MONDAY.plusSeconds(7200));

        assertThat(position("DL-1", "SKU-A", "B1").getOnHand()).isEqualTo(6);
        List<TestRecord<String, InventoryPosition>> published = positions.readRecordsToList();
        assertThat(published.get(1).timestamp()).isEqualTo(yesterday.toEpochMilli());
    }

    @Test
    void productionAndExpiryDatesAreKeptOnThePosition() {
        StockMovementRecorded receipt = StockMovementRecorded
                .newBuilder(movement("DL-1", "SKU-A", "B1", MovementKind.RECEIPT, 10, MONDAY))
                .setProductionDate(LocalDate.parse("2026-01-10"))
                .setExpiryDate(LocalDate.parse("2027-07-10"))
                .build();
        movements.pipeInput("DL-1", receipt, MONDAY);
        receive("DL-1", "SKU-A", "B1", MovementKind.SALE, 1, MONDAY.plusSeconds(1));

        InventoryPosition position = position("DL-1", "SKU-A", "B1");
        assertThat(position.getProductionDate()).isEqualTo(LocalDate.parse("2026-01-10"));
        assertThat(position.getExpiryDate()).isEqualTo(LocalDate.parse("2027-07-10"));
    }

    @Test
    void aMovementOfZeroUnitsIsDeadLetteredWithTheFieldAndTheStreamCarriesOn() {
        receive("DL-1", "SKU-A", "B1", MovementKind.RECEIPT, 0, MONDAY);
        receive("DL-1", "SKU-A", "B1", MovementKind.RECEIPT, 5, MONDAY.plusSeconds(1));

        TestRecord<String, byte[]> deadLetter = deadLetters.readRecord();
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_REASON))
                .isEqualTo("REJECTED: must be positive for a RECEIPT movement, was 0");
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_FIELD)).isEqualTo("quantity");
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_SOURCE_TOPIC)).isEqualTo("stock-movements");
        assertThat(deadLetter.key()).isEqualTo("DL-1");
        assertThat(position("DL-1", "SKU-A", "B1").getOnHand()).isEqualTo(5);
    }

    /**
     * TopologyTestDriver does not hand dead letters of deserialization failures to its output topics;
     * that they reach {@code dead-letters} with their reason, untouched, is shown on the real broker
     * ({@code DeadLetterTest} in api-reactive). Here: the stream carries on past them.
     */
    @Test
    void bytesNotInOurWireFormatDoNotStopTheStream() {
        rawMovements.pipeInput("DL-1", "{\"json\": true}".getBytes(StandardCharsets.UTF_8), MONDAY);
        receive("DL-1", "SKU-A", "B1", MovementKind.RECEIPT, 5, MONDAY.plusSeconds(1));

        assertThat(position("DL-1", "SKU-A", "B1").getOnHand()).isEqualTo(5);
        assertThat(positions.readValuesToList()).hasSize(1);
    }

    private void receive(String location, String sku, String batch, MovementKind kind, int quantity, Instant at) {
        movements.pipeInput(location, movement(location, sku, batch, kind, quantity, at), at);
    }

    private static StockMovementRecorded movement(String location, String sku, String batch, MovementKind kind,
                                                  int quantity, Instant at) {
        return StockMovementRecorded.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setSource("test")
                .setLocationId(location)
                .setSku(sku)
                .setBatch(batch)
                .setKind(kind)
                .setQuantity(quantity)
                .build();
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
