package io.channelstream.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.channelstream.events.DealerUpserted;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.forecast.model.WeekCalendar;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.SimEvent;
import io.channelstream.simulator.Simulation;
import io.channelstream.simulator.SimulationConfig;
import io.channelstream.streams.StreamsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest's replay forecasts what the topology publishes: the same simulated weeks, piped through the
 * topology in the test driver and through {@link DemandReplay}, give the same forecast and the same seasonal
 * naive for every dealer × SKU as each week starts. Both read the promotion calendar from the simulator's
 * {@code master.promotions} records, as the live topology does.
 */
class DemandReplayMatchesTopologyTest {

    private static final LocalDate FIRST_MONDAY = LocalDate.parse("2024-01-01");
    private static final int WEEKS = 5;

    @TempDir
    Path tempDir;

    @Test
    void theReplayForecastsWhatTheTopologyPublishesWhenAWeekStarts() throws IOException {
        SimulationConfig world = new SimulationConfig(3, 0.02, WEEKS, FIRST_MONDAY,
                SimulationConfig.DEFAULT_CODE_DOMAIN, "eq3", SimulationConfig.defaultAnomalies(),
                SimulationConfig.Demand.seedDefaults());
        List<SimEvent> events = new ArrayList<>();
        Simulation simulation = new Simulation(world, events::add);
        simulation.publishMasterData();
        simulation.runHistory(Simulation.DayListener.NONE);

        Path stateDir = Files.isWritable(Path.of("/dev/shm"))
                ? Files.createTempDirectory(Path.of("/dev/shm"), "forecast-replay-test-") : tempDir;
        EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        // the live path on both sides: the promotions the simulator plans, read from master.promotions
        DemandReplay replay = new DemandReplay(ForecastConfig.DEFAULT);
        WeekCalendar weeks = ForecastConfig.DEFAULT.weeks();
        int weeksCompared = 0;
        int keysCompared = 0;
        int promotionsPiped = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(ForecastConfig.DEFAULT, serdes),
                StreamsSettings.local("forecast-replay-test", "unused:9092", stateDir).toProperties(),
                FIRST_MONDAY.minusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC))) {
            TestInputTopic<String, ProductUpserted> products = input(driver, serdes, Topics.PRODUCTS);
            TestInputTopic<String, LocationUpserted> locations = input(driver, serdes, Topics.LOCATIONS);
            TestInputTopic<String, DealerUpserted> dealers = input(driver, serdes, Topics.DEALERS);
            TestInputTopic<String, PromotionPlanned> promotions = input(driver, serdes, Topics.PROMOTIONS);
            TestInputTopic<String, OrderEvent> orders = input(driver, serdes, Topics.ORDERS);
            TestInputTopic<String, StockMovementRecorded> movements = input(driver, serdes, Topics.STOCK_MOVEMENTS);
            PublishedReads<OrderSuggestion> suggestions = PublishedReads.suggestions(driver);

            LocalDate week = FIRST_MONDAY;
            Map<String, DemandReplay.Published> expected = null;
            Set<String> touchedThisWeek = new HashSet<>();
            Map<String, String> dealerByLocation = new java.util.HashMap<>();
            for (SimEvent event : events) {
                if (event.topic() == Topics.PRODUCTS) {
                    products.pipeInput(event.key(), (ProductUpserted) event.value(), event.occurredAt());
                    replay.masterData(event.value());
                    continue;
                }
                if (event.topic() == Topics.DEALERS) {
                    dealers.pipeInput(event.key(), (DealerUpserted) event.value(), event.occurredAt());
                    replay.masterData(event.value());
                    continue;
                }
                if (event.topic() == Topics.PROMOTIONS) {
                    promotions.pipeInput(event.key(), (PromotionPlanned) event.value(), event.occurredAt());
                    replay.masterData(event.value());
                    promotionsPiped++;
                    continue;
                }
                if (event.topic() == Topics.LOCATIONS) {
                    LocationUpserted location = (LocationUpserted) event.value();
                    locations.pipeInput(event.key(), location, event.occurredAt());
                    replay.masterData(location);
                    if (location.getDealerId() != null) {
                        dealerByLocation.put(location.getLocationId(), location.getDealerId());
                    }
                    continue;
                }
                if (event.topic() != Topics.ORDERS && event.topic() != Topics.STOCK_MOVEMENTS) {
                    continue;
                }
                LocalDate eventWeek = weeks.weekStart(event.occurredAt());
                if (eventWeek.isAfter(week)) {
                    week = eventWeek;
                    expected = replay.publishAsOf(week); // before any fact of the new week
                    touchedThisWeek.clear();
                }
                Set<String> keys = demandKeys(event, dealerByLocation);
                if (event.topic() == Topics.ORDERS) {
                    orders.pipeInput(event.key(), (OrderEvent) event.value(), event.occurredAt());
                } else {
                    movements.pipeInput(event.key(), (StockMovementRecorded) event.value(), event.occurredAt());
                }
                replay.accept(event.value());
                touchedThisWeek.addAll(keys);
                if (expected != null && !keys.isEmpty()) {
                    // the first demand of the week moves the dealer step's stream time into it: every key is
                    // recomputed for the new week at the next publication
                    driver.advanceWallClockTime(Duration.ofSeconds(2));
                    for (DemandReplay.Published replayed : expected.values()) {
                        String key = Topics.key(replayed.dealerId(), replayed.sku());
                        if (touchedThisWeek.contains(key)) {
                            continue; // its current week already holds a fact the replay's snapshot did not see
                        }
                        OrderSuggestion published = suggestions.get(key);
                        assertThat(published).as(key).isNotNull();
                        assertThat(published.getForecastWeekStart()).as(key).isEqualTo(week);
                        assertThat(published.getForecastWeeklyUnits().get(0)).as(key)
                                .isCloseTo(replayed.forecastUnits(), within(1e-9));
                        assertThat(published.getSeasonalNaiveWeeklyUnits().get(0)).as(key)
                                .isCloseTo(replayed.seasonalNaiveUnits(), within(1e-9));
                        keysCompared++;
                    }
                    weeksCompared++;
                    expected = null;
                }
            }
        } finally {
            if (!stateDir.startsWith(tempDir)) {
                try (Stream<Path> files = Files.walk(stateDir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
        System.out.printf("replay vs topology: %d weeks, %d dealer x SKU forecasts compared%n", weeksCompared,
                keysCompared);
        assertThat(promotionsPiped).isPositive();
        assertThat(weeksCompared).isEqualTo(WEEKS - 1);
        assertThat(keysCompared).isGreaterThan(100 * (WEEKS - 1));
    }

    /** The dealer × SKU keys whose demand an order or a sale changes. */
    private static Set<String> demandKeys(SimEvent event, Map<String, String> dealerByLocation) {
        Set<String> keys = new HashSet<>();
        if (event.value() instanceof OrderEvent order && order.getPayload() instanceof OrderPlaced placed) {
            placed.getLines().forEach(line -> keys.add(Topics.key(placed.getDealerId(), line.getSku())));
        } else if (event.value() instanceof StockMovementRecorded sale && sale.getKind() == MovementKind.SALE
                && dealerByLocation.containsKey(sale.getLocationId())) {
            keys.add(Topics.key(dealerByLocation.get(sale.getLocationId()), sale.getSku()));
        }
        return keys;
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> TestInputTopic<String, V> input(
            TopologyTestDriver driver, EventSerdes serdes, io.channelstream.schemas.Topic<V> topic) {
        return driver.createInputTopic(topic.name(), Serdes.String().serializer(), serdes.value(topic).serializer());
    }
}
