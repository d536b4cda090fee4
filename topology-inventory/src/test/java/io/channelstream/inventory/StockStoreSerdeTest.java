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
