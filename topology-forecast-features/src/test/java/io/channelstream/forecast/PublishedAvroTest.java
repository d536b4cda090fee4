package io.channelstream.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.WeeklyDemand;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/** The hand-written Avro of the published records gives the generic writer's bytes, header included. */
class PublishedAvroTest {

    private final EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
    private final Random random = new Random(42);

    /** A change of DemandFeatures.avsc or OrderSuggestion.avsc fails here until PublishedAvro's layout follows it. */
    @Test
    void theLayoutsFollowTheCataloguedSchemas() {
        assertEquals(PublishedAvro.DEMAND_FEATURES_FINGERPRINT,
                PublishedAvro.fingerprintOf(DemandFeatures.getClassSchema()));
        assertEquals(PublishedAvro.ORDER_SUGGESTION_FINGERPRINT,
                PublishedAvro.fingerprintOf(OrderSuggestion.getClassSchema()));
    }

    @Test
    void featuresAreWrittenByHandAsTheGenericWriterWritesThem() {
        String topic = Topics.DEMAND_FEATURES.name();
        Serializer<DemandFeatures> generic = serdes.value(Topics.DEMAND_FEATURES).serializer();
        PublishedAvro.HandWritten<DemandFeatures> byHand = (PublishedAvro.HandWritten<DemandFeatures>)
                PublishedAvro.features(generic, topic, PublishedAvro.DEMAND_FEATURES_FINGERPRINT);
        assertTrue(byHand.handWritten());
        assertNull(byHand.serialize(topic, null));
        for (int i = 0; i < 5_000; i++) {
            DemandFeatures features = features(i);
            assertArrayEquals(generic.serialize(topic, features), byHand.serialize("any topic", features), "record " + i);
        }
    }

    @Test
    void suggestionsAreWrittenByHandAsTheGenericWriterWritesThem() {
        String topic = Topics.ORDER_SUGGESTIONS.name();
        Serializer<OrderSuggestion> generic = serdes.value(Topics.ORDER_SUGGESTIONS).serializer();
        PublishedAvro.HandWritten<OrderSuggestion> byHand = (PublishedAvro.HandWritten<OrderSuggestion>)
                PublishedAvro.suggestions(generic, topic, PublishedAvro.ORDER_SUGGESTION_FINGERPRINT);
        assertTrue(byHand.handWritten());
        for (int i = 0; i < 5_000; i++) {
            OrderSuggestion suggestion = suggestion(i);
            assertArrayEquals(generic.serialize(topic, suggestion), byHand.serialize("any topic", suggestion),
                    "record " + i);
        }
    }

    @Test
    void anotherSchemaThanTheLayoutsGoesThroughTheGenericWriter() {
        String topic = Topics.DEMAND_FEATURES.name();
        Serializer<DemandFeatures> generic = serdes.value(Topics.DEMAND_FEATURES).serializer();
        PublishedAvro.HandWritten<DemandFeatures> byHand = (PublishedAvro.HandWritten<DemandFeatures>)
                PublishedAvro.features(generic, topic, PublishedAvro.DEMAND_FEATURES_FINGERPRINT + 1);
        assertFalse(byHand.handWritten());
        for (int i = 0; i < 100; i++) {
            DemandFeatures features = features(i);
            assertArrayEquals(generic.serialize(topic, features), byHand.serialize(topic, features));
        }
    }

    private DemandFeatures features(int i) {
        List<WeeklyDemand> weeks = new ArrayList<>();
        int count = i % 7 == 0 ? 0 : random.nextInt(15);
        for (int w = 0; w < count; w++) {
            weeks.add(WeeklyDemand.newBuilder()
                    .setWeekStart(LocalDate.of(2024, 1, 1).plusWeeks(w + random.nextInt(200)))
                    .setUnits(someLong()).setRevenueFen(someLong()).setOrderedUnits(someLong())
                    .setSoldUnits(someLong()).setPromo(random.nextBoolean()).build());
        }
        return DemandFeatures.newBuilder()
                .setEventId(someString(i))
                .setOccurredAt(Instant.ofEpochMilli(random.nextLong() >> 20))
                .setSource("topology-forecast-features")
                .setDealerId(someString(i + 1))
                .setSku(someString(i + 2))
                .setCategory(i % 3 == 0 ? null : someString(i + 3))
                .setAsOfWeekStart(LocalDate.of(1960, 1, 4).plusWeeks(random.nextInt(10_000)))
                .setDemandSignal(random.nextBoolean() ? "SELL_IN" : "SELL_OUT")
                .setWeeks(weeks)
                .setCurrentWeekUnits(someLong())
                .setCurrentWeekRevenueFen(someLong())
                .setMeanWeeklyUnits(someDouble())
                .setTrendUnitsPerWeek(someDouble())
                .setStdDevWeeklyUnits(someDouble())
                .setCoefficientOfVariation(i % 4 == 0 ? null : someDouble())
                .setDayOfWeekIndex(someDoubles(i % 5 == 0 ? 0 : 7))
                .setPromoLift(i % 2 == 0 ? null : someDouble())
                .setPromoWeeks(random.nextInt() >> random.nextInt(32))
                .setSeasonalityIndex(i % 5 == 1 ? null : someDouble())
                .build();
    }

    private OrderSuggestion suggestion(int i) {
        return OrderSuggestion.newBuilder()
                .setEventId(someString(i))
                .setOccurredAt(Instant.ofEpochMilli(random.nextLong() >> 20))
                .setSource("topology-forecast-features")
                .setDealerId(someString(i + 1))
                .setSku(someString(i + 2))
                .setCategory(i % 3 == 0 ? null : someString(i + 3))
                .setSuggestedUnits(someLong())
                .setMethod(someString(i + 4))
                .setForecastWeekStart(LocalDate.of(2024, 1, 1).plusWeeks(random.nextInt(500)))
                .setForecastWeeklyUnits(someDoubles(random.nextInt(5)))
                .setSeasonalNaiveWeeklyUnits(someDoubles(random.nextInt(5)))
                .setLeadTimeDays(random.nextInt() >> random.nextInt(32))
                .setExpectedDemandOverLeadTimeUnits(someDouble())
                .setSafetyStockFactor(someDouble())
                .setForecastErrorStdDevUnits(someDouble())
                .setSafetyStockUnits(someDouble())
                .setAvailableUnits(someLong())
                .setInTransitUnits(someLong())
                .setLevelUnitsPerWeek(someDouble())
                .setTrendUnitsPerWeek(someDouble())
                .setSeasonalIndices(someDoubles(random.nextInt(5)))
                .setPromoLift(i % 2 == 0 ? null : someDouble())
                .setHistoryWeeks(random.nextInt(120))
                .setExplanation(someString(i + 5) + " Expected 12.5 over 14 days, safety stock 3.0.")
                .build();
    }

    /** Longs of every size, negative ones and the extremes included. */
    private long someLong() {
        return switch (random.nextInt(10)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> 0;
            default -> random.nextLong() >> random.nextInt(64);
        };
    }

    private double someDouble() {
        return switch (random.nextInt(12)) {
            case 0 -> 0.0;
            case 1 -> -0.0;
            case 2 -> Double.NaN;
            case 3 -> Double.POSITIVE_INFINITY;
            case 4 -> Double.MIN_VALUE;
            default -> (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(12));
        };
    }

    private List<Double> someDoubles(int count) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(someDouble());
        }
        return values;
    }

    /** ASCII, empty, Chinese and a supplementary character, long enough for a two-byte length now and then. */
    private String someString(int i) {
        return switch (i % 6) {
            case 0 -> "";
            case 1 -> "dealer-" + random.nextInt(1_000_000);
            case 2 -> "湿巾-" + random.nextInt(1000) + " 婴儿纸尿裤";
            case 3 -> "SKU-\uD83D\uDE00-" + random.nextInt(100);
            case 4 -> "x".repeat(random.nextInt(300));
            default -> Long.toHexString(random.nextLong());
        };
    }
}
