package io.channelstream.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.CategorySeasonality;
import io.channelstream.events.DealerUpserted;
import io.channelstream.events.DemandFeatures;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LateEvent;
import io.channelstream.events.LocationKind;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.MovementKind;
import io.channelstream.events.OrderCancelled;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.ProductCategory;
import io.channelstream.events.ProductUpserted;
import io.channelstream.events.PromotionMechanism;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.events.ShipTo;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.WeeklyDemand;
import io.channelstream.forecast.model.BundlePartners;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.DeadLetterHandler;
import io.channelstream.streams.StreamsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stories of a dealer's demand, told through the topology with event time under the test's control. */
class ForecastTopologyTest {

    /** Monday 16 November 2026, 09:00 China Standard Time. */
    private static final Instant MONDAY_9AM_CST = Instant.parse("2026-11-16T01:00:00Z");
    private static final LocalDate THIS_WEEK = LocalDate.parse("2026-11-16");
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path tempDir;
    private Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, OrderEvent> orders;
    private TestInputTopic<String, StockMovementRecorded> movements;
    private TestInputTopic<String, InventoryPosition> positions;
    private TestInputTopic<String, ProductUpserted> products;
    private TestInputTopic<String, LocationUpserted> locations;
    private TestInputTopic<String, DealerUpserted> dealers;
    private TestInputTopic<String, PromotionPlanned> promotions;
    private TestOutputTopic<String, DemandFeatures> featuresOut;
    private TestOutputTopic<String, OrderSuggestion> suggestionsOut;
    private TestOutputTopic<String, LateEvent> lateOut;
    private TestOutputTopic<String, CategorySeasonality> seasonalityOut;
    private TestOutputTopic<String, Alert> alertsOut;
    private TestOutputTopic<String, byte[]> deadLetters;
    private PublishedReads<DemandFeatures> features;
    private PublishedReads<OrderSuggestion> suggestions;

    @BeforeEach
    void startTopology() {
        EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        driver = new TopologyTestDriver(ForecastTopology.build(ForecastConfig.DEFAULT, serdes),
                StreamsSettings.local("forecast-test", "unused:9092", stateDir = stateDir()).toProperties(), MONDAY_9AM_CST);
        orders = driver.createInputTopic(Topics.ORDERS.name(), Serdes.String().serializer(),
                serdes.value(Topics.ORDERS).serializer());
        movements = driver.createInputTopic(Topics.STOCK_MOVEMENTS.name(), Serdes.String().serializer(),
                serdes.value(Topics.STOCK_MOVEMENTS).serializer());
        positions = driver.createInputTopic(Topics.INVENTORY_POSITIONS.name(), Serdes.String().serializer(),
                serdes.value(Topics.INVENTORY_POSITIONS).serializer());
        products = driver.createInputTopic(Topics.PRODUCTS.name(), Serdes.String().serializer(),
                serdes.value(Topics.PRODUCTS).serializer());
        locations = driver.createInputTopic(Topics.LOCATIONS.name(), Serdes.String().serializer(),
                serdes.value(Topics.LOCATIONS).serializer());
        dealers = driver.createInputTopic(Topics.DEALERS.name(), Serdes.String().serializer(),
                serdes.value(Topics.DEALERS).serializer());
        promotions = driver.createInputTopic(Topics.PROMOTIONS.name(), Serdes.String().serializer(),
                serdes.value(Topics.PROMOTIONS).serializer());
        featuresOut = driver.createOutputTopic(Topics.DEMAND_FEATURES.name(), Serdes.String().deserializer(),
                serdes.value(Topics.DEMAND_FEATURES).deserializer());
        suggestionsOut = driver.createOutputTopic(Topics.ORDER_SUGGESTIONS.name(), Serdes.String().deserializer(),
                serdes.value(Topics.ORDER_SUGGESTIONS).deserializer());
        lateOut = driver.createOutputTopic(Topics.LATE_EVENTS.name(), Serdes.String().deserializer(),
                serdes.value(Topics.LATE_EVENTS).deserializer());
        seasonalityOut = driver.createOutputTopic(Topics.CATEGORY_SEASONALITY.name(), Serdes.String().deserializer(),
                serdes.value(Topics.CATEGORY_SEASONALITY).deserializer());
        alertsOut = driver.createOutputTopic(Topics.ALERTS.name(), Serdes.String().deserializer(),
                serdes.value(Topics.ALERTS).deserializer());
        deadLetters = driver.createOutputTopic(Topics.DEAD_LETTERS.name(), Serdes.String().deserializer(),
                new ByteArrayDeserializer());
        features = PublishedReads.features(driver);
        suggestions = PublishedReads.suggestions(driver);

        product("SKU-DIAPER-L", ProductCategory.DIAPERS);
        product("SKU-WIPES-80", ProductCategory.WIPES);
        product("SKU-FORMULA-2", ProductCategory.INFANT_FORMULA);
        location("DL-GZ-1", "D-GZ", "440106");
        location("ST-GZ-7", "D-GZ", "440104");
    }

    @AfterEach
    void closeTopology() throws java.io.IOException {
        driver.close();
        if (!stateDir.startsWith(tempDir)) {
            try (var files = Files.walk(stateDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * The test driver commits after every record, and each commit fsyncs a checkpoint file per store;
     * on a memory file system that costs nothing, on a disk it made the co-purchase story take minutes.
     */
    private Path stateDir() {
        Path memory = Path.of("/dev/shm");
        try {
            return Files.isDirectory(memory) && Files.isWritable(memory)
                    ? Files.createTempDirectory(memory, "forecast-test-") : tempDir;
        } catch (java.io.IOException e) {
            return tempDir;
        }
    }

    @Test
    void ordersCountInTheirChinaStandardTimeWeekAndLateOnesInsideGraceStillCount() {
        // Sunday 23:30 in Guangzhou is still last week, though it is already Sunday 15:30 UTC... of the same day
        Instant lastSundayLateEvening = Instant.parse("2026-11-15T15:30:00Z");
        place("O-1", "D-GZ", false, lastSundayLateEvening, line("SKU-DIAPER-L", 10, 5_900));
        place("O-2", "D-GZ", false, MONDAY_9AM_CST, line("SKU-DIAPER-L", 4, 5_900));
        // uploaded on Tuesday, happened on Saturday of last week: inside the two-day grace
        place("O-3", "D-GZ", false, MONDAY_9AM_CST.plus(DAY), line("SKU-DIAPER-L", 1, 5_900));
        place("O-4", "D-GZ", false, Instant.parse("2026-11-14T06:00:00Z"), line("SKU-DIAPER-L", 6, 5_900));
        publish();

        DemandFeatures diapers = features.get("D-GZ|SKU-DIAPER-L");
        WeeklyDemand lastWeek = diapers.getWeeks().get(diapers.getWeeks().size() - 1);
        assertThat(lastWeek.getWeekStart()).isEqualTo(THIS_WEEK.minusWeeks(1));
        assertThat(lastWeek.getUnits()).isEqualTo(16);
        assertThat(lastWeek.getRevenueFen()).isEqualTo(16 * 5_900);
        assertThat(diapers.getCurrentWeekUnits()).isEqualTo(5);
        assertThat(diapers.getAsOfWeekStart()).isEqualTo(THIS_WEEK);
        assertThat(diapers.getDemandSignal()).isEqualTo("SELL_IN");
        assertThat(lateOut.isEmpty()).isTrue();
    }

    @Test
    void anOrderOfAWeekClosedBeyondGraceGoesToLateEventsWithTheReasonAndIsNotCounted() {
        place("O-1", "D-GZ", false, MONDAY_9AM_CST.plus(Duration.ofDays(3)), line("SKU-DIAPER-L", 4, 5_900));
        // Thursday: last week closed on Wednesday 00:00 CST (week end + two days of grace)
        place("O-LATE", "D-GZ", false, Instant.parse("2026-11-13T02:00:00Z"), line("SKU-DIAPER-L", 7, 5_900));
        publish();

        LateEvent late = lateOut.readValue();
        assertThat(late.getFactEventId()).isNotBlank();
        assertThat(late.getFactKind()).isEqualTo("ORDER_PLACED");
        assertThat(late.getUnits()).isEqualTo(7);
        assertThat(late.getDealerId()).isEqualTo("D-GZ");
        assertThat(late.getWeekStart()).isEqualTo(THIS_WEEK.minusWeeks(1));
        assertThat(late.getWeekClosedAt()).isEqualTo(Instant.parse("2026-11-17T16:00:00Z"));
        assertThat(late.getLateByMillis()).isEqualTo(Duration.ofHours(33).toMillis());
        assertThat(late.getReason()).startsWith("order placed in a week that had already closed");
        DemandFeatures diapers = features.get("D-GZ|SKU-DIAPER-L");
        assertThat(diapers.getWeeks()).extracting(WeeklyDemand::getUnits).containsOnly(0L);
        assertThat(diapers.getCurrentWeekUnits()).isEqualTo(4);
        // the late order is on its way all the same
        assertThat(suggestions.get("D-GZ|SKU-DIAPER-L").getInTransitUnits()).isEqualTo(11);
    }

    @Test
    void aCancelledOrderLeavesTheWeekAndTheGoodsInTransit() {
        place("O-1", "D-GZ", false, MONDAY_9AM_CST, line("SKU-DIAPER-L", 10, 5_900), line("SKU-WIPES-80", 5, 1_500));
        place("O-2", "D-GZ", false, MONDAY_9AM_CST.plusSeconds(60), line("SKU-DIAPER-L", 3, 5_900));
        cancel("O-1", MONDAY_9AM_CST.plusSeconds(120));
        publish();

        assertThat(features.get("D-GZ|SKU-DIAPER-L").getCurrentWeekUnits()).isEqualTo(3);
        assertThat(features.get("D-GZ|SKU-WIPES-80").getCurrentWeekUnits()).isZero();
        assertThat(suggestions.get("D-GZ|SKU-DIAPER-L").getInTransitUnits()).isEqualTo(3);
        assertThat(suggestions.get("D-GZ|SKU-WIPES-80").getInTransitUnits()).isZero();
    }

    @Test
    void aCancellationOfAnOrderNeverSeenIsDeadLetteredWithTheField() {
        cancel("O-UNKNOWN", MONDAY_9AM_CST);

        TestRecord<String, byte[]> deadLetter = deadLetters.readRecord();
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_FIELD)).isEqualTo("orderId");
        assertThat(header(deadLetter, DeadLetterHandler.HEADER_REASON)).startsWith("REJECTED: cancellation of an order");
    }

    @Test
    void promotionWeeksDoubleDemandAndTheLiftSaysSo() {
        // ten weeks of 20 units a week, three of them under buy-two-get-one with 40
        for (int week = 10; week >= 1; week--) {
            boolean promo = week == 2 || week == 5 || week == 8;
            place("O-W" + week, "D-GZ", promo, MONDAY_9AM_CST.minus(Duration.ofDays(7L * week)),
                    line("SKU-DIAPER-L", promo ? 40 : 20, 5_900));
        }
        place("O-NOW", "D-GZ", false, MONDAY_9AM_CST, line("SKU-FORMULA-2", 1, 30_000)); // this week has begun
        publish();

        DemandFeatures diapers = features.get("D-GZ|SKU-DIAPER-L");
        assertThat(diapers.getPromoWeeks()).isEqualTo(3);
        assertThat(diapers.getPromoLift()).isCloseTo(2.0, within(1e-9));
        assertThat(diapers.getWeeks()).filteredOn(WeeklyDemand::getPromo).extracting(WeeklyDemand::getUnits)
                .containsOnly(40L);
        // 13-week horizon: 3 empty weeks, 4 x 20 + 3 x 40 ... mean over 13 weeks
        assertThat(diapers.getMeanWeeklyUnits()).isCloseTo((7 * 20 + 3 * 40) / 13.0, within(1e-9));
    }

    @Test
    void aPlannedPromotionLiftsItsWeekInTheForecastAndTheSuggestionSaysWhy() {
        // twelve weeks of 20 a week; the two buy-two-get-one weeks of the brand's calendar sold 40
        for (int week = 12; week >= 1; week--) {
            boolean promo = week == 4 || week == 8;
            place("O-W" + week, "D-GZ", promo, MONDAY_9AM_CST.minus(Duration.ofDays(7L * week)),
                    line("SKU-DIAPER-L", promo ? 40 : 20, 5_900));
        }
        place("O-NOW", "D-GZ", false, MONDAY_9AM_CST, line("SKU-FORMULA-2", 1, 30_000)); // this week has begun
        publish();
        OrderSuggestion before = suggestions.get("D-GZ|SKU-DIAPER-L");
        assertThat(before.getForecastWeeklyUnits()).allSatisfy(units -> assertThat(units).isCloseTo(20, within(1.0)));
        assertThat(before.getExplanation()).doesNotContain("promotion");

        // the brand publishes its calendar: the past weeks, this week in Guangdong (the dealer's province), and
        // next week in Beijing only; no order arrives after it
        dealer("D-GZ", "4401");
        promote("P-PAST-8", "SKU-DIAPER-L", "000000", THIS_WEEK.minusWeeks(8));
        promote("P-PAST-4", "SKU-DIAPER-L", "000000", THIS_WEEK.minusWeeks(4));
        promote("P-NOW-GD", "SKU-DIAPER-L", "44", THIS_WEEK);
        promote("P-NEXT-BJ", "SKU-DIAPER-L", "11", THIS_WEEK.plusWeeks(1));
        suggestionsOut.readValuesToList();
        publish();

        OrderSuggestion after = suggestions.get("D-GZ|SKU-DIAPER-L");
        // published without a new order: the promotions marked the dealers of their SKU
        assertThat(suggestionsOut.readValuesToList()).filteredOn(o -> o.getSku().equals("SKU-DIAPER-L")).last()
                .isEqualTo(after);
        assertThat(after.getPromoLift()).isCloseTo(2.0, within(1e-6));
        assertThat(after.getForecastWeeklyUnits().get(0)).isCloseTo(2 * after.getForecastWeeklyUnits().get(1),
                within(1e-6));
        assertThat(after.getForecastWeeklyUnits().get(1)).isCloseTo(20, within(1.0));
        assertThat(after.getExpectedDemandOverLeadTimeUnits())
                .isCloseTo(before.getExpectedDemandOverLeadTimeUnits() + 20, within(1.0));
        assertThat(after.getExplanation()).endsWith("A promotion is planned in 1 of the 2 weeks: x2.00, this series' "
                + "lift.");
    }

    @Test
    void aPromotionOfAnotherSkuOrAnotherRegionLeavesTheForecastAsItWas() {
        for (int week = 12; week >= 1; week--) {
            place("O-W" + week, "D-GZ", false, MONDAY_9AM_CST.minus(Duration.ofDays(7L * week)),
                    line("SKU-DIAPER-L", 20 + week % 3, 5_900));
        }
        place("O-NOW", "D-GZ", false, MONDAY_9AM_CST, line("SKU-FORMULA-2", 1, 30_000));
        publish();
        OrderSuggestion before = suggestions.get("D-GZ|SKU-DIAPER-L");

        dealer("D-GZ", "4401");
        promote("P-WIPES", "SKU-WIPES-80", "000000", THIS_WEEK);
        promote("P-BJ", "SKU-DIAPER-L", "11", THIS_WEEK);
        publish();

        OrderSuggestion after = suggestions.get("D-GZ|SKU-DIAPER-L");
        assertThat(after.getForecastWeeklyUnits()).isEqualTo(before.getForecastWeeklyUnits());
        assertThat(after.getSuggestedUnits()).isEqualTo(before.getSuggestedUnits());
        assertThat(after.getPromoLift()).isNull();
        assertThat(after.getExplanation()).isEqualTo(before.getExplanation()).doesNotContain("promotion");
    }

    @Test
    void fridaySellsTwentyPercentAboveAnAverageDayInTheDayOfWeekShape() {
        // one week of store sales: 10 a day, Friday 12 (CST days)
        Instant monday = Instant.parse("2026-11-09T02:00:00Z");
        for (int day = 0; day < 7; day++) {
            sell("ST-GZ-7", "SKU-WIPES-80", day == 4 ? 12 : 10, 1_500, monday.plus(DAY.multipliedBy(day)));
        }
        place("O-NOW", "D-GZ", false, MONDAY_9AM_CST, line("SKU-FORMULA-2", 1, 30_000));
        publish();

        DemandFeatures wipes = features.get("D-GZ|SKU-WIPES-80");
        assertThat(wipes.getDemandSignal()).isEqualTo("SELL_OUT");
        double averageDay = 72 / 7.0;
        assertThat(wipes.getDayOfWeekIndex().get(4)).isCloseTo(12 / averageDay, within(1e-9));
        assertThat(wipes.getDayOfWeekIndex().get(4) / wipes.getDayOfWeekIndex().get(3)).isCloseTo(1.2, within(1e-9));
        assertThat(wipes.getWeeks().get(12).getRevenueFen()).isEqualTo(72 * 1_500);
    }

    @Test
    void theSuggestionIsBuiltFromTheForecastTheDealersStockAndWhatIsInTransit() {
        // 20 weeks of 30 units a week
        for (int week = 20; week >= 1; week--) {
            place("O-W" + week, "D-GZ", false, MONDAY_9AM_CST.minus(Duration.ofDays(7L * week)),
                    line("SKU-DIAPER-L", 30, 5_900));
            received("DL-GZ-1", "SKU-DIAPER-L", 30, "O-W" + week, MONDAY_9AM_CST.minus(Duration.ofDays(7L * week - 2)));
        }
        // stock at the dealer's two locations, in two batches; a brand warehouse's stock is not the dealer's
        position("DL-GZ-1", "SKU-DIAPER-L", "B1", 12);
        position("DL-GZ-1", "SKU-DIAPER-L", "B2", 8);
        position("ST-GZ-7", "SKU-DIAPER-L", "B1", 5);
        position("WH-CENTRAL", "SKU-DIAPER-L", "B1", 900);
        position("DL-GZ-1", "SKU-DIAPER-L", "B2", 3); // B2 sold down from 8 to 3
        // ordered this morning, 10 received so far
        place("O-OPEN", "D-GZ", false, MONDAY_9AM_CST, line("SKU-DIAPER-L", 25, 5_900));
        received("DL-GZ-1", "SKU-DIAPER-L", 10, "O-OPEN", MONDAY_9AM_CST.plusSeconds(3600));
        publish();

        OrderSuggestion suggestion = suggestions.get("D-GZ|SKU-DIAPER-L");
        assertThat(suggestion.getAvailableUnits()).isEqualTo(12 + 3 + 5);
        assertThat(suggestion.getInTransitUnits()).isEqualTo(15);
        assertThat(suggestion.getLeadTimeDays()).isEqualTo(14);
        assertThat(suggestion.getForecastWeeklyUnits()).hasSize(2).allSatisfy(units ->
                assertThat(units).isCloseTo(30, within(1e-6)));
        assertThat(suggestion.getExpectedDemandOverLeadTimeUnits()).isCloseTo(60, within(1e-6));
        // a perfectly steady history leaves no forecast error, so no safety stock
        assertThat(suggestion.getSafetyStockUnits()).isCloseTo(0, within(1e-6));
        assertThat(suggestion.getSuggestedUnits()).isEqualTo(60 - 20 - 15);
        assertThat(suggestion.getSeasonalNaiveWeeklyUnits()).containsExactly(30.0, 30.0);
        assertThat(suggestion.getHistoryWeeks()).isEqualTo(20);
        assertThat(suggestion.getExplanation()).startsWith("Order 25: 60.0 units expected over the 14-day lead time");
        assertThat(suggestionsOut.readValuesToList()).last().isEqualTo(suggestion);
        assertThat(featuresOut.readKeyValuesToMap()).containsKey("D-GZ|SKU-DIAPER-L");
    }

    @Test
    void coPurchaseSupportConfidenceAndLiftEqualABruteForceCountOverTheSameOrders() {
        Random random = new Random(7);
        List<String> skus = List.of("SKU-DIAPER-L", "SKU-WIPES-80", "SKU-FORMULA-2", "SKU-SNACK-1", "SKU-MILK-1");
        List<Set<String>> baskets = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Set<String> basket = new LinkedHashSet<>();
            if (random.nextDouble() < 0.6) {
                basket.add("SKU-DIAPER-L");
                if (random.nextDouble() < 0.8) {
                    basket.add("SKU-WIPES-80");
                }
            }
            skus.forEach(sku -> {
                if (random.nextDouble() < 0.2) {
                    basket.add(sku);
                }
            });
            if (basket.isEmpty()) {
                basket.add("SKU-MILK-1");
            }
            Instant at = MONDAY_9AM_CST.minus(Duration.ofHours(300 - i));
            place("O-" + i, "D-" + (i % 7), false, at,
                    basket.stream().map(sku -> line(sku, 1 + random.nextInt(3), 1_000)).toArray(OrderLine[]::new));
            baskets.add(basket);
        }
        // five of last week's orders cancelled: they leave the counts
        Set<Integer> cancelled = Set.of(251, 260, 270, 285, 299);
        cancelled.forEach(i -> cancel("O-" + i, MONDAY_9AM_CST.plusSeconds(i)));
        // one of a closed week cancelled too late: its week (and the co-purchase counts) keep it
        cancel("O-3", MONDAY_9AM_CST.plusSeconds(400));
        assertThat(lateOut.readValue().getFactKind()).isEqualTo("ORDER_CANCELLED");

        LocalDate from = LocalDate.parse("2026-11-01");
        LocalDate to = LocalDate.parse("2026-11-16");
        BundlePartners.Tally tally = tallyFromStores("SKU-DIAPER-L", from, to);

        long orderCount = 0;
        Map<String, Long> withSku = new HashMap<>();
        Map<String, Long> withBoth = new HashMap<>();
        for (int i = 0; i < baskets.size(); i++) {
            if (cancelled.contains(i)) {
                continue;
            }
            Set<String> basket = baskets.get(i);
            orderCount++;
            basket.forEach(sku -> withSku.merge(sku, 1L, Long::sum));
            if (basket.contains("SKU-DIAPER-L")) {
                basket.stream().filter(sku -> !sku.equals("SKU-DIAPER-L")).forEach(sku -> withBoth.merge(sku, 1L, Long::sum));
            }
        }
        assertThat(tally.orders()).isEqualTo(orderCount);
        assertThat(tally.ordersWithBoth()).isEqualTo(withBoth);
        List<BundlePartners.Partner> partners = BundlePartners.rank("SKU-DIAPER-L", tally, 5);
        assertThat(partners).hasSize(withBoth.size());
        for (BundlePartners.Partner partner : partners) {
            long both = withBoth.get(partner.sku());
            assertThat(partner.ordersWithBoth()).isEqualTo(both);
            assertThat(partner.support()).isCloseTo((double) both / orderCount, within(1e-12));
            assertThat(partner.confidence()).isCloseTo((double) both / withSku.get("SKU-DIAPER-L"), within(1e-12));
            assertThat(partner.lift()).isCloseTo(((double) both / withSku.get("SKU-DIAPER-L"))
                    / ((double) withSku.get(partner.sku()) / orderCount), within(1e-12));
        }
        // the seed's "80% of diaper buyers also buy wipes": wipes come first, at about 80%
        assertThat(partners.get(0).sku()).isEqualTo("SKU-WIPES-80");
        assertThat(partners.get(0).confidence()).isBetween(0.75, 0.9);
    }

    @Test
    void aSummerRiseOfWipesIsAnnouncedSixtyDaysAheadAndClearedWhenItPasses() {
        // two and a half years of national wipes orders, +35% in summer
        LocalDate firstWeek = LocalDate.parse("2024-05-06");
        List<Alert> alerts = new ArrayList<>();
        CategorySeasonality last = null;
        for (int week = 0; week < 130; week++) {
            LocalDate weekStart = firstWeek.plusWeeks(week);
            int weekOfYear = Math.min(52, (weekStart.getDayOfYear() - 1) / 7 + 1);
            boolean summer = weekOfYear >= 23 && weekOfYear <= 35;
            Instant at = weekStart.atStartOfDay().toInstant(java.time.ZoneOffset.ofHours(8)).plus(Duration.ofHours(10));
            place("O-S" + week, "D-GZ", false, at, line("SKU-WIPES-80", summer ? 135 : 100, 1_500));
            publish();
            alerts.addAll(alertsOut.readValuesToList());
            List<CategorySeasonality> published = seasonalityOut.readValuesToList();
            if (!published.isEmpty()) {
                last = published.get(published.size() - 1);
            }
        }

        assertThat(last.getCategory()).isEqualTo("WIPES");
        double[] index = last.getWeekOfYearIndex().stream().mapToDouble(Double::doubleValue).toArray();
        double summerToWinter = index[28] / index[10];
        assertThat(summerToWinter).isCloseTo(1.35, within(0.03));
        List<Alert> raised = alerts.stream().filter(a -> a.getStatus() == AlertStatus.RAISED).toList();
        assertThat(raised).isNotEmpty();
        Alert first = raised.get(0);
        assertThat(first.getAlertType()).isEqualTo(AlertType.SEASONAL_DEMAND);
        assertThat(first.getConditionKey()).isEqualTo("SEASONAL_DEMAND|WIPES");
        LocalDate outlookWeek = LocalDate.parse(first.getEvidence().get("outlookWeekStart"));
        assertThat(Duration.between(first.getOccurredAt(), outlookWeek.atStartOfDay().toInstant(
                java.time.ZoneOffset.ofHours(8))).toDays()).isBetween(53L, 60L);
        assertThat(WeekOfYear.of(outlookWeek)).isBetween(23, 25);
        // raised once per season, then cleared
        assertThat(alerts.stream().map(Alert::getStatus).toList()).containsSubsequence(AlertStatus.RAISED,
                AlertStatus.CLEARED);
        assertThat(alerts).extracting(Alert::getStatus).doesNotContainSequence(AlertStatus.RAISED, AlertStatus.RAISED);
    }

    // ---- the world, in small builders

    private static final class WeekOfYear {
        static int of(LocalDate weekStart) {
            return Math.min(52, (weekStart.getDayOfYear() - 1) / 7 + 1);
        }
    }

    private void publish() {
        driver.advanceWallClockTime(Duration.ofSeconds(2));
    }

    private BundlePartners.Tally tallyFromStores(String sku, LocalDate from, LocalDate to) {
        CoPurchaseStore store = (CoPurchaseStore) driver.getStateStore(ForecastTopology.CO_PURCHASE_STORE);
        return store.tally(sku, from, to);
    }

    private void product(String sku, ProductCategory category) {
        products.pipeInput(sku, ProductUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.EPOCH).setSource("test")
                .setSku(sku).setGtin("06901234567892").setName(sku).setCategory(category)
                .setShelfLifeDays(720).setExpiryWarningDays(180).build(), Instant.EPOCH);
    }

    private void location(String locationId, String dealerId, String regionCode) {
        locations.pipeInput(locationId, LocationUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.EPOCH).setSource("test")
                .setLocationId(locationId).setName(locationId).setKind(LocationKind.DEALER).setRegionCode(regionCode)
                .setLatitude(23.1).setLongitude(113.3).setDealerId(dealerId).build(), Instant.EPOCH);
    }

    private void dealer(String dealerId, String regionCode) {
        dealers.pipeInput(dealerId, DealerUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.EPOCH).setSource("test")
                .setDealerId(dealerId).setName(dealerId).setTier(2).setAuthorizedRegionCodes(List.of(regionCode))
                .setEffectiveFrom(Instant.EPOCH).build(), Instant.EPOCH);
    }

    /** A buy-two-get-one week, Monday to Sunday, planned before the history began. */
    private void promote(String promotionId, String sku, String regionCode, LocalDate monday) {
        promotions.pipeInput(Topics.key(sku, promotionId), PromotionPlanned.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.EPOCH).setSource("test")
                .setPromotionId(promotionId).setSku(sku).setRegionCode(regionCode).setFirstDay(monday)
                .setLastDay(monday.plusDays(6)).setMechanism(PromotionMechanism.BUY_TWO_GET_ONE).build(), Instant.EPOCH);
    }

    private static OrderLine line(String sku, int quantity, long unitPriceFen) {
        return OrderLine.newBuilder().setSku(sku).setQuantity(quantity).setUnitPriceFen(unitPriceFen).build();
    }

    private void place(String orderId, String dealerId, boolean promo, Instant at, OrderLine... lines) {
        orders.pipeInput(orderId, OrderEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(at).setSource("test").setOrderId(orderId)
                .setPayload(OrderPlaced.newBuilder()
                        .setDealerId(dealerId)
                        .setFulfillingLocationId("WH-CENTRAL")
                        .setShipTo(ShipTo.newBuilder().setLocationId("DL-GZ-1").setRegionCode("440106").build())
                        .setPromo(promo)
                        .setLines(Arrays.asList(lines))
                        .build())
                .build(), at);
    }

    private void cancel(String orderId, Instant at) {
        orders.pipeInput(orderId, OrderEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(at).setSource("test").setOrderId(orderId)
                .setPayload(OrderCancelled.newBuilder().setDealerId("D-GZ").setReason("changed mind").build())
                .build(), at);
    }

    private void sell(String locationId, String sku, int quantity, long unitPriceFen, Instant at) {
        movements.pipeInput(locationId, movement(locationId, sku, MovementKind.SALE, quantity, null, at)
                .setUnitPriceFen(unitPriceFen).build(), at);
    }

    private void received(String locationId, String sku, int quantity, String orderId, Instant at) {
        movements.pipeInput(locationId, movement(locationId, sku, MovementKind.RECEIPT, quantity, orderId, at).build(), at);
    }

    private static StockMovementRecorded.Builder movement(String locationId, String sku, MovementKind kind, int quantity,
                                                          String reference, Instant at) {
        return StockMovementRecorded.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(at).setSource("test")
                .setLocationId(locationId).setSku(sku).setBatch("B1").setKind(kind).setQuantity(quantity)
                .setReference(reference);
    }

    private void position(String locationId, String sku, String batch, long available) {
        positions.pipeInput(Topics.key(locationId, sku, batch), InventoryPosition.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(MONDAY_9AM_CST).setSource("test")
                .setLocationId(locationId).setSku(sku).setBatch(batch).setOnHand(available).setReserved(0)
                .setBlocked(0).setAvailable(available).build(), MONDAY_9AM_CST);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
