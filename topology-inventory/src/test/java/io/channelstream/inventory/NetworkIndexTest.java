package io.channelstream.inventory;

import static io.channelstream.inventory.InventoryWorld.line;
import static io.channelstream.inventory.InventoryWorld.shipped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.MovementKind;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network index answers "where is this SKU / this batch?" by one prefix scan: it lists, SKU first, the
 * locations that hold a SKU, and their stock records say what they hold now, whatever changed it
 * (movements, orders, shipments). The reads below are the ones the network view makes per partition.
 */
class NetworkIndexTest {

    private static final Instant NOV_16 = Instant.parse("2026-11-16T02:00:00Z");
    private static final LocalDate EXPIRY = LocalDate.parse("2027-09-01");

    @TempDir
    Path stateDir;

    private InventoryWorld world;
    private KeyValueStore<String, Long> index;

    @BeforeEach
    void threeDepots() {
        world = new InventoryWorld(stateDir, NOV_16);
        index = world.driver.getKeyValueStore(InventoryTopology.NETWORK_INDEX_STORE);
        world.location("DL-GZ", "440106", null);
        world.location("DL-SZ", "440304", null);
        world.location("WH-BJ", "110105", null);
        world.receive("DL-GZ", "FORMULA", "B1", 50, EXPIRY, NOV_16);
        world.receive("DL-SZ", "FORMULA", "B1", 20, EXPIRY, NOV_16);
        world.receive("DL-SZ", "FORMULA", "B2", 7, EXPIRY, NOV_16);
        world.receive("WH-BJ", "WIPES", "B1", 300, EXPIRY, NOV_16);
        // a SKU whose name extends another's must not fall inside its prefix
        world.receive("WH-BJ", "FORMULA-XL", "B1", 9, EXPIRY, NOV_16);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aSkuAcrossTheNetworkIsOnePrefixOfTheIndex() {
        assertThat(indexed("FORMULA|")).containsExactly("FORMULA|DL-GZ", "FORMULA|DL-SZ");
        assertThat(held("FORMULA", null)).extracting(InventoryPosition::getLocationId, InventoryPosition::getBatch,
                        InventoryPosition::getOnHand)
                .containsExactly(tuple("DL-GZ", "B1", 50L), tuple("DL-SZ", "B1", 20L), tuple("DL-SZ", "B2", 7L));
    }

    @Test
    void aBatchAcrossTheNetworkIsTheSamePrefixNarrowedToTheBatch() {
        assertThat(held("FORMULA", "B1")).extracting(InventoryPosition::getLocationId, InventoryPosition::getOnHand)
                .containsExactly(tuple("DL-GZ", 50L), tuple("DL-SZ", 20L));
    }

    @Test
    void theNetworkViewFollowsSalesReservationsAndShipmentsLikeThePositionsDo() {
        world.move("DL-GZ", "FORMULA", "B1", MovementKind.SALE, 5, null, NOV_16.plusSeconds(60));
        world.placeOrder("O-1", "DL-SZ", NOV_16.plusSeconds(120), line("FORMULA", 10));
        world.placeOrder("O-2", "DL-GZ", NOV_16.plusSeconds(180), line("FORMULA", 15));
        world.ship("S-2", "O-2", "DL-GZ", NOV_16.plusSeconds(240), shipped("FORMULA", "B1", 15));

        List<InventoryPosition> held = held("FORMULA", "B1");
        for (InventoryPosition position : held) {
            assertThat(position).isEqualTo(world.position(position.getLocationId(), position.getSku(),
                    position.getBatch()));
        }
        assertThat(held).extracting(InventoryPosition::getLocationId, InventoryPosition::getOnHand,
                        InventoryPosition::getReserved, InventoryPosition::getAvailable)
                .containsExactly(tuple("DL-GZ", 30L, 0L, 30L), tuple("DL-SZ", 20L, 10L, 10L));
        assertThat(indexed("")).as("one index entry per location × SKU held")
                .containsExactlyInAnyOrder("FORMULA|DL-GZ", "FORMULA|DL-SZ", "FORMULA-XL|WH-BJ", "WIPES|WH-BJ");
    }

    @Test
    void aLocationThatSoldOutIsNoLongerAHolding() {
        world.move("DL-GZ", "FORMULA", "B1", MovementKind.SALE, 50, null, NOV_16.plusSeconds(60));

        assertThat(held("FORMULA", null)).extracting(InventoryPosition::getLocationId)
                .containsExactly("DL-SZ", "DL-SZ");
    }

    private List<InventoryPosition> held(String sku, String batch) {
        return NetworkReads.heldPositions(index, world.store, sku, batch);
    }

    private List<String> indexed(String prefix) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, Long> range = index.prefixScan(prefix,
                org.apache.kafka.common.serialization.Serdes.String().serializer())) {
            range.forEachRemaining(entry -> keys.add(entry.key));
        }
        return keys;
    }
}
