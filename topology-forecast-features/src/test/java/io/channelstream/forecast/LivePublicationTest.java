package io.channelstream.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderLine;
import io.channelstream.events.OrderPlaced;
import io.channelstream.events.ShipTo;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topics;
import io.channelstream.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many changed keys one busy interval publishes: a live task (its facts stamped about now) spends a time budget,
 * so its features follow within an interval; a task catching up (facts of days ago) publishes the busy count cap's
 * worth, counting facts first.
 */
class LivePublicationTest {

    private static final Instant NOW = Instant.parse("2026-11-16T01:00:00Z");
    /** One key per task and busy interval by count; live, the whole interval of budget. */
    private static final ForecastConfig CONFIG = withCaps(ForecastConfig.DEFAULT, 1, 1_000);
    private static final int SKUS = 40;

    @TempDir
    Path stateDir;

    @Test
    void aLiveTaskPublishesEveryKeyChangedInABusyIntervalAtOnce() {
        assertThat(featuresAfterOneBusyInterval(NOW.minusSeconds(5))).hasSize(SKUS);
    }

    @Test
    void aTaskCatchingUpPublishesOnlyTheBusyCapWhileFactsKeepArriving() {
        assertThat(featuresAfterOneBusyInterval(NOW.minus(Duration.ofDays(1)))).hasSize(1);
    }

    /** An order of {@code SKUS} lines placed at {@code at}, then one publish interval of the wall clock at NOW. */
    private List<DemandFeatures> featuresAfterOneBusyInterval(Instant at) {
        EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        try (TopologyTestDriver driver = new TopologyTestDriver(ForecastTopology.build(CONFIG, serdes),
                StreamsSettings.local("forecast-live-test", "unused:9092", stateDir).toProperties(), NOW)) {
            TestInputTopic<String, OrderEvent> orders = driver.createInputTopic(Topics.ORDERS.name(),
                    Serdes.String().serializer(), serdes.value(Topics.ORDERS).serializer());
            TestOutputTopic<String, DemandFeatures> features = driver.createOutputTopic(Topics.DEMAND_FEATURES.name(),
                    Serdes.String().deserializer(), serdes.value(Topics.DEMAND_FEATURES).deserializer());
            List<OrderLine> lines = new ArrayList<>();
            for (int i = 0; i < SKUS; i++) {
                lines.add(OrderLine.newBuilder().setSku("SKU-" + i).setQuantity(3).setUnitPriceFen(1_000).build());
            }
            orders.pipeInput("O-1", OrderEvent.newBuilder()
                    .setEventId(UUID.randomUUID().toString()).setOccurredAt(at).setSource("test").setOrderId("O-1")
                    .setPayload(OrderPlaced.newBuilder().setDealerId("D-GZ").setFulfillingLocationId("WH-CENTRAL")
                            .setShipTo(ShipTo.newBuilder().setLocationId("DL-GZ-1").setRegionCode("440106").build())
                            .setPromo(false).setLines(lines).build())
                    .build(), at);
            driver.advanceWallClockTime(Duration.ofMillis(CONFIG.publishIntervalMillis()));
            return features.readValuesToList();
        }
    }

    private static ForecastConfig withCaps(ForecastConfig c, int busyCap, long liveBudgetMillis) {
        return new ForecastConfig(c.weeks(), c.grace(), c.horizonWeeks(), c.historyWeeks(), c.categoryHistoryWeeks(),
                c.leadTimeDays(), c.leadTimeDaysByCategory(), c.safetyStockFactor(), c.smoothing(),
                c.seasonalOutlookDays(), c.seasonalAlertRise(), c.coPurchaseWindowDays(), c.inTransitDays(),
                c.regionLevel(), c.publishIntervalMillis(), c.maxPublishesPerInterval(), busyCap, c.liveLagMillis(),
                liveBudgetMillis);
    }
}
