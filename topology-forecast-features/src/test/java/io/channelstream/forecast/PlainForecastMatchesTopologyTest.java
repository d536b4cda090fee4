package io.channelstream.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.channelstream.events.OrderCancelled;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.ProductCategory;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.ShipTo;
import io.channelstream.forecast.model.BundlePartners;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.StreamsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's baseline does the topology's work: the same orders through {@link PlainForecast} and through
 * the topology give the same suggestions (forecast, units in transit, quantity) and the same co-purchase counts,
 * so the benchmark's ratio compares the same work with and without Kafka Streams.
 */
class PlainForecastMatchesTopologyTest {

    private static final Instant START = Instant.parse("2026-10-05T02:00:00Z"); // a Monday, 10:00 CST
    private static final List<String> SKUS = List.of("SKU-DIAPER-L", "SKU-WIPES-80", "SKU-FORMULA-2", "SKU-SNACK-1");

    @TempDir
    Path tempDir;

    @Test
    void theSameOrdersGiveTheSameSuggestionsAndCoPurchaseCounts() throws Exception {
        Random random = new Random(11);
        List<SpecificRecord> masterData = new ArrayList<>();
        for (String sku : SKUS) {
            masterData.add(ProductUpserted.newBuilder().setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(Instant.EPOCH).setSource("test").setSku(sku).setGtin("06901234567892").setName(sku)
                    .setCategory(sku.contains("WIPES") ? ProductCategory.WIPES : ProductCategory.DIAPERS)
                    .setShelfLifeDays(720).setExpiryWarningDays(180).build());
        }
        List<OrderEvent> orders = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Instant at = START.plus(Duration.ofHours(4L * i));
            List<OrderLine> lines = new ArrayList<>();
            for (String sku : SKUS) {
                if (random.nextDouble() < 0.6) {
                    lines.add(OrderLine.newBuilder().setSku(sku).setQuantity(1 + random.nextInt(9))
                            .setUnitPriceFen(1_000).build());
                }
            }
            if (lines.isEmpty()) {
                lines.add(OrderLine.newBuilder().setSku(SKUS.get(0)).setQuantity(3).setUnitPriceFen(1_000).build());
            }
            orders.add(OrderEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setOccurredAt(at)
                    .setSource("test").setOrderId("O-" + i)
                    .setPayload(OrderPlaced.newBuilder().setDealerId("D-" + (i % 3)).setFulfillingLocationId("WH")
                            .setShipTo(ShipTo.newBuilder().setLocationId("DL-" + (i % 3)).setRegionCode("440106").build())
                            .setPromo(false).setLines(lines).build())
                    .build());
            if (i % 17 == 5) { // some cancelled within their week
                orders.add(OrderEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                        .setOccurredAt(at.plusSeconds(600)).setSource("test").setOrderId("O-" + i)
                        .setPayload(OrderCancelled.newBuilder().setDealerId("D-" + (i % 3)).setReason("test").build())
                        .build());
            }
        }

        PlainForecast plain = new PlainForecast(ForecastConfig.DEFAULT);
        masterData.forEach(plain::masterData);
        orders.forEach(plain::order);
        Map<String, OrderSuggestion> plainSuggestions = new HashMap<>();
        for (SpecificRecord published : plain.publishChanged(Integer.MAX_VALUE)) {
            if (published instanceof OrderSuggestion s) {
                plainSuggestions.put(Topics.key(s.getDealerId(), s.getSku()), s);
            }
        }

        Path stateDir = Files.isWritable(Path.of("/dev/shm"))
                ? Files.createTempDirectory(Path.of("/dev/shm"), "plain-forecast-test-") : tempDir;
        EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(ForecastConfig.DEFAULT, serdes),
                StreamsSettings.local("plain-forecast-test", "unused:9092", stateDir).toProperties(), START)) {
            TestInputTopic<String, ProductUpserted> products = driver.createInputTopic(Topics.PRODUCTS.name(),
                    Serdes.String().serializer(), serdes.value(Topics.PRODUCTS).serializer());
            TestInputTopic<String, OrderEvent> ordersIn = driver.createInputTopic(Topics.ORDERS.name(),
                    Serdes.String().serializer(), serdes.value(Topics.ORDERS).serializer());
            masterData.forEach(p -> products.pipeInput(((ProductUpserted) p).getSku(), (ProductUpserted) p,
                    Instant.EPOCH));
            orders.forEach(order -> ordersIn.pipeInput(order.getOrderId(), order, order.getOccurredAt()));
            driver.advanceWallClockTime(Duration.ofSeconds(2));
            PublishedReads<OrderSuggestion> suggestions = PublishedReads.suggestions(driver);

            assertThat(plainSuggestions).hasSizeGreaterThanOrEqualTo(SKUS.size() * 3 - 1);
            plainSuggestions.forEach((key, expected) -> {
                OrderSuggestion published = suggestions.get(key);
                assertThat(published).as(key).isNotNull();
                assertThat(published.getForecastWeekStart()).as(key).isEqualTo(expected.getForecastWeekStart());
                assertThat(published.getInTransitUnits()).as(key).isEqualTo(expected.getInTransitUnits());
                assertThat(published.getHistoryWeeks()).as(key).isEqualTo(expected.getHistoryWeeks());
                for (int w = 0; w < expected.getForecastWeeklyUnits().size(); w++) {
                    assertThat(published.getForecastWeeklyUnits().get(w)).as(key)
                            .isCloseTo(expected.getForecastWeeklyUnits().get(w), within(1e-9));
                }
                assertThat(published.getSuggestedUnits()).as(key).isEqualTo(expected.getSuggestedUnits());
            });
            CoPurchaseStore store = (CoPurchaseStore) driver.getStateStore(ForecastTopology.CO_PURCHASE_STORE);
            LocalDate from = LocalDate.parse("2026-10-01");
            LocalDate to = LocalDate.parse("2026-10-31");
            for (String sku : SKUS) {
                BundlePartners.Tally topology = store.tally(sku, from, to);
                assertThat(topology).as(sku).isEqualTo(plain.coPurchase(sku, from, to));
                assertThat(topology.orders()).isPositive();
            }
        } finally {
            if (!stateDir.startsWith(tempDir)) {
                try (Stream<Path> files = Files.walk(stateDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }
}
