package io.channelstream.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channelstream.events.InventoryPosition;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The stock store keeps a SKU's batches and its raised conditions in one record, and refuses what it cannot read. */
class StockStoreSerdeTest {

    private final StockStoreSerde serde = new StockStoreSerde();

    @Test
    void everyBatchAndEveryRaisedConditionComesBack() {
        InventoryPosition early = InventoryPosition.newBuilder(InventoryTopology.emptyPosition("仓-广州-01", "FORMULA", "B-1"))
                .setEventId("position:m-1").setOccurredAt(Instant.parse("2026-11-16T02:00:00.123Z"))
                .setOnHand(120).setReserved(30).setBlocked(5).setAvailable(85)
                .setProductionDate(LocalDate.parse("2026-05-01")).setExpiryDate(LocalDate.parse("2027-01-01"))
                .setLastMovementEventId("m-1").build();
        InventoryPosition late = InventoryTopology.emptyPosition("仓-广州-01", "FORMULA", "B-2");
        SkuStock stock = new SkuStock("仓-广州-01", "FORMULA", 1_700L, new ArrayList<>(List.of(early, late)),
                new ArrayList<>(List.of(1_800L, SkuStock.NOT_RAISED)));

        SkuStock read = serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", stock));

        assertThat(read.locationId()).isEqualTo("仓-广州-01");
        assertThat(read.sku()).isEqualTo("FORMULA");
        assertThat(read.batches()).containsExactly(early, late);
        assertThat(read.safetyStockRaisedAt()).isEqualTo(1_700L);
        assertThat(List.of(read.expiryRaisedAt(0), read.expiryRaisedAt(1))).containsExactly(1_800L, SkuStock.NOT_RAISED);
    }

    @Test
    void positionsThatSayOtherThanTheirRecordComeBackAsTheyWere() {
        // what format 3 leaves out when it is the record's (location, SKU, source, event id) is kept when it is not
        InventoryPosition odd = new InventoryPosition("reservation:o-7", Instant.parse("1969-12-31T23:59:59.999Z"),
                "an-importer", "DL-2", "WIPES-XL", "B-9", -3L, 0L, 4L, -7L, LocalDate.parse("1960-01-01"), null, "m-9");
        InventoryPosition noLastMovement = new InventoryPosition("position:", Instant.EPOCH, "topology-inventory",
                "DL-1", "WIPES", "B-1", Long.MAX_VALUE, Long.MIN_VALUE, 0L, 0L, null, LocalDate.parse("2030-02-28"), null);
        SkuStock stock = new SkuStock("DL-1", "WIPES", SkuStock.NOT_RAISED,
                new ArrayList<>(List.of(odd, noLastMovement)), new ArrayList<>(List.of(SkuStock.NOT_RAISED, -1L)));

        SkuStock read = serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", stock));

        assertThat(read.batches()).containsExactly(odd, noLastMovement);
        assertThat(List.of(read.expiryRaisedAt(0), read.expiryRaisedAt(1))).containsExactly(SkuStock.NOT_RAISED, -1L);
    }

    @Test
    void aRecordOfTheBuildBeforeFormat2IsStillRead() {
        InventoryPosition held = InventoryPosition.newBuilder(InventoryTopology.emptyPosition("DL-1", "WIPES", "B-1"))
                .setEventId("position:m-1").setOnHand(12).setAvailable(12).setLastMovementEventId("m-1")
                .setExpiryDate(LocalDate.parse("2027-01-01")).build();
        SkuStock stock = new SkuStock("DL-1", "WIPES", 1_700L, new ArrayList<>(List.of(held)),
                new ArrayList<>(List.of(1_800L)));
        byte[] format2 = StockStoreSerde.writeV2(stock);

        SkuStock read = serde.deserializer().deserialize("changelog", format2);

        assertThat(format2[0]).isEqualTo(StockStoreSerde.FORMAT_V2);
        assertThat(read.batches()).containsExactly(held);
        assertThat(read.safetyStockRaisedAt()).isEqualTo(1_700L);
        assertThat(read.expiryRaisedAt(0)).isEqualTo(1_800L);
        assertThat(serde.serializer().serialize("changelog", read)[0]).isEqualTo(StockStoreSerde.FORMAT_V3);
    }

    @Test
    void aRecordAnEarlierBuildKeptPerBatchIsRefusedWithWhatToDo() {
        byte[] perBatch = PositionStoreSerde.write(InventoryTopology.emptyPosition("DL-1", "WIPES", "B-1"));

        assertThatThrownBy(() -> serde.deserializer().deserialize("changelog", perBatch))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format 1")
                .hasMessageContaining("reset");
    }

    @Test
    void aTruncatedRecordIsRefusedNotMisread() {
        SkuStock stock = new SkuStock("DL-1", "WIPES");
        stock.put(InventoryTopology.emptyPosition("DL-1", "WIPES", "B-1"));
        byte[] bytes = serde.serializer().serialize("changelog", stock);

        assertThatThrownBy(() -> serde.deserializer().deserialize("changelog",
                java.util.Arrays.copyOf(bytes, bytes.length - 3))).isInstanceOf(SerializationException.class);
    }
}
