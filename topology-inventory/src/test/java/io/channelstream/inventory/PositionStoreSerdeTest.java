package io.channelstream.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channelstream.events.InventoryPosition;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The positions store's own format keeps every field of a position, and refuses what it cannot read. */
class PositionStoreSerdeTest {

    private final EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
    private final PositionStoreSerde serde =
            new PositionStoreSerde(serdes.value(Topics.INVENTORY_POSITIONS).deserializer());

    @Test
    void aFullPositionComesBackEqual() {
        InventoryPosition full = InventoryPosition.newBuilder()
                .setEventId("position:m-1").setOccurredAt(Instant.parse("2026-11-16T02:00:00.123Z"))
                .setSource("topology-inventory").setLocationId("仓-广州-01").setSku("FORMULA-900G")
                .setBatch("B-2026-11")
                .setOnHand(120).setReserved(30).setBlocked(5).setAvailable(85)
                .setProductionDate(LocalDate.parse("2026-05-01")).setExpiryDate(LocalDate.parse("2027-11-01"))
                .setLastMovementEventId("m-1").build();

        assertThat(roundTrip(full)).isEqualTo(full);
    }

    @Test
    void aPositionWithoutDatesOrLastMovementComesBackEqual() {
        InventoryPosition bare = InventoryTopology.emptyPosition("DL-1", "WIPES", "B-1");

        assertThat(roundTrip(bare)).isEqualTo(bare);
    }

    @Test
    void everyFieldOfThePositionSchemaIsCarried() {
        // a field added to InventoryPosition must be added to the store format (as a new format version)
        assertThat(InventoryPosition.getClassSchema().getFields()).hasSize(PositionStoreSerde.FIELDS_V1);
    }

    @Test
    void aPositionAnEarlierBuildKeptInTheAvroWireFormatIsStillRead() {
        InventoryPosition kept = InventoryTopology.emptyPosition("DL-1", "WIPES", "B-1");
        byte[] avro = serdes.value(Topics.INVENTORY_POSITIONS).serializer().serialize("changelog", kept);

        assertThat(serde.deserializer().deserialize("changelog", avro)).isEqualTo(kept);
    }

    @Test
    void bytesOfAnUnknownFormatAreRefusedNotMisread() {
        InventoryPosition position = InventoryTopology.emptyPosition("DL-1", "WIPES", "B-1");
        byte[] bytes = serde.serializer().serialize("changelog", position);
        bytes[0] = 7;

        assertThatThrownBy(() -> serde.deserializer().deserialize("changelog", bytes))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format 7");
    }

    private InventoryPosition roundTrip(InventoryPosition position) {
        return serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", position));
    }
}
