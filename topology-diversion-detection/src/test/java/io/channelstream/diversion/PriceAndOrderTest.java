package io.channelstream.diversion;

import static io.channelstream.diversion.DiversionWorld.GUANGZHOU_TIANHE;
import static io.channelstream.diversion.DiversionWorld.MONDAY;
import static io.channelstream.diversion.DiversionWorld.SHANGHAI_PUDONG;
import static io.channelstream.diversion.DiversionWorld.SHENZHEN_NANSHAN;
import static io.channelstream.diversion.DiversionWorld.line;
import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prices: the floor of a SKU is the most specific regional price in force at the time of the sale; a
 * sale scan, a till sale or an order line below it is a price violation. Orders shipping outside the
 * dealer's regions are flagged too (when they reach the topic without passing the API's refusal).
 */
class PriceAndOrderTest {

    private static final String SKU = "SKU-FORMULA-900G";
    private static final Instant JANUARY = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path stateDir;

    private DiversionWorld world;

    @BeforeEach
    void guangdongPrices() {
        world = new DiversionWorld(DiversionConfig.defaults(), stateDir);
        world.dealer("D-GZ", JANUARY, "44")
                .location("DL-GZ", GUANGZHOU_TIANHE, 23.125, 113.361, "D-GZ")
                .price(SKU, "44", 32_000, 26_000, JANUARY)      // Guangdong: floor 260.00 CNY
                .price(SKU, "4401", 33_000, 28_000, JANUARY);   // Guangzhou city: floor 280.00 CNY
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aStoreSaleBelowTheCityFloorRaisesAPriceAlertWhileTheSamePriceInAnotherCityIsFine() {
        String soldInGuangzhou = world.itemCode();
        String soldInShenzhen = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", soldInGuangzhou, soldInShenzhen);

        world.sale(soldInGuangzhou, GUANGZHOU_TIANHE, 27_000, MONDAY.plus(Duration.ofDays(1)));
        world.sale(soldInShenzhen, SHENZHEN_NANSHAN, 27_000, MONDAY.plus(Duration.ofDays(1)));

        Alert alert = world.raised(AlertType.PRICE_BELOW_FLOOR).stream().reduce((a, b) -> {
            throw new AssertionError("one price alert expected, got " + a + " and " + b);
        }).orElseThrow();
        assertThat(alert.getCode()).isEqualTo(soldInGuangzhou);
        assertThat(alert.getSku()).isEqualTo(SKU);
        assertThat(alert.getRegionCode()).isEqualTo(GUANGZHOU_TIANHE);
        assertThat(alert.getDealerId()).isEqualTo("D-GZ");
        assertThat(alert.getEvidence())
                .containsEntry("priceFen", "27000")
                .containsEntry("floorPriceFen", "28000")
                .containsEntry("shortfallFen", "1000");
    }

    @Test
    void aSaleAtTheFloorIsNoViolation() {
        String item = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", item);

        world.sale(item, GUANGZHOU_TIANHE, 28_000, MONDAY.plus(Duration.ofDays(1)));

        assertThat(world.alerts()).isEmpty();
    }

    @Test
    void aNewFloorAppliesFromItsEffectiveTimeOnly() {
        Instant december = Instant.parse("2026-12-01T00:00:00Z");
        world.price(SKU, "4401", 36_000, 30_000, december);
        String beforeChange = world.itemCode();
        String afterChange = world.itemCode();
        world.shipItems("SHP-1", "DL-GZ", "D-GZ", MONDAY, "CASE-1", beforeChange, afterChange);

        world.sale(beforeChange, GUANGZHOU_TIANHE, 29_000, december.minus(Duration.ofDays(1)));
        world.sale(afterChange, GUANGZHOU_TIANHE, 29_000, december.plus(Duration.ofDays(1)));

        assertThat(world.raised(AlertType.PRICE_BELOW_FLOOR)).extracting(Alert::getCode).containsExactly(afterChange);
    }

    @Test
    void aTillSaleBelowTheFloorAtAKnownLocationRaisesAPriceAlert() {
        world.tillSale("DL-GZ", SKU, 20_000, MONDAY);
        world.tillSale("DL-GZ", SKU, 29_000, MONDAY.plusSeconds(60));

        assertThat(world.raised(AlertType.PRICE_BELOW_FLOOR)).singleElement().satisfies(alert -> {
            assertThat(alert.getLocationId()).isEqualTo("DL-GZ");
            assertThat(alert.getConditionKey()).startsWith("PRICE_BELOW_FLOOR|sale|");
            assertThat(alert.getEvidence()).containsEntry("floorPriceFen", "28000");
        });
    }

    @Test
    void anOrderLineBelowTheFloorWhereItShipsIsAPriceViolation() {
        world.order("O-1", "D-GZ", GUANGZHOU_TIANHE, MONDAY, line(SKU, 10, 25_000), line("SKU-OTHER", 5, 100));

        assertThat(world.raised(AlertType.PRICE_BELOW_FLOOR)).singleElement().satisfies(alert -> {
            assertThat(alert.getConditionKey()).isEqualTo("PRICE_BELOW_FLOOR|order|O-1|" + SKU);
            assertThat(alert.getEvidence()).containsEntry("orderId", "O-1").containsEntry("quantity", "10");
        });
        assertThat(world.raised(AlertType.CROSS_REGION_ORDER)).isEmpty();
    }

    @Test
    void anOrderShippingOutsideTheDealersRegionsIsFlagged() {
        world.order("O-2", "D-GZ", SHANGHAI_PUDONG, MONDAY, line(SKU, 10, 40_000));

        assertThat(world.raised(AlertType.CROSS_REGION_ORDER)).singleElement().satisfies(alert -> {
            assertThat(alert.getConditionKey()).isEqualTo("CROSS_REGION_ORDER|O-2");
            assertThat(alert.getRegionCode()).isEqualTo("44");
            assertThat(alert.getEvidence())
                    .containsEntry("shipToRegionCode", SHANGHAI_PUDONG)
                    .containsEntry("authorizedRegionCodes", "44")
                    .containsEntry("refused", "false");
        });
    }
}
