package io.channelstream.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.PromotionMechanism;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.DemandModel;
import io.channelstream.simulator.EventSink;
import io.channelstream.simulator.SimEvent;
import io.channelstream.simulator.Simulation;
import io.channelstream.simulator.SimulationConfig;
import io.channelstream.simulator.World;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which weeks a dealer sees as promotion weeks, from the brand's planned promotions. */
class PlannedPromotionsTest {

    private static final LocalDate MONDAY = LocalDate.parse("2026-06-01");

    @Test
    void theSimulatorsPublishedPromotionsGiveEveryDealerExactlyItsDemandModelsPromotionWeeks() {
        SimulationConfig config = new SimulationConfig(42, 0.03, 60, LocalDate.parse("2024-01-01"),
                SimulationConfig.DEFAULT_CODE_DOMAIN, "pp", SimulationConfig.defaultAnomalies(),
                SimulationConfig.Demand.seedDefaults());
        List<SimEvent> published = new ArrayList<>();
        EventSink sink = published::add;
        Simulation simulation = new Simulation(config, sink);
        simulation.publishMasterData();
        List<PromotionPlanned> promotions = published.stream().filter(e -> e.topic() == Topics.PROMOTIONS)
                .map(e -> (PromotionPlanned) e.value()).toList();
        DemandModel model = new DemandModel(config);
        World world = simulation.world();
        World.Dealer dealer = world.dealers().get(world.dealers().size() - 1);

        assertThat(promotions).isNotEmpty();
        int promotedWeeks = 0;
        for (World.Product product : world.products()) {
            PlannedPromotions calendar = PlannedPromotions.of(product.sku(), promotions, dealer.authorizedRegionCodes());
            for (int w = 0; w < config.historyWeeks() + Simulation.PROMOTIONS_PLANNED_BEYOND_HISTORY_WEEKS; w++) {
                LocalDate week = config.firstMonday().plusWeeks(w);
                assertThat(calendar.promoted(product.sku(), week)).as(product.sku() + " " + week)
                        .isEqualTo(model.promoted(product.sku(), week));
                promotedWeeks += model.promoted(product.sku(), week) ? 1 : 0;
            }
        }
        assertThat(promotedWeeks).isGreaterThan(world.products().size()); // about 2 a year per SKU
    }

    @Test
    void aWeekIsAPromotionWeekWhenMostOfItsDaysAreInThePromotion() {
        // Thursday to the next Wednesday: 4 days of the first week, 3 of the second
        PlannedPromotions calendar = PlannedPromotions.of("SKU-1",
                List.of(promotion("SKU-1", "000000", MONDAY.plusDays(3), MONDAY.plusDays(9), 1.6)), List.of());

        assertThat(calendar.promoted("SKU-1", MONDAY)).isTrue();
        assertThat(calendar.promoted("SKU-1", MONDAY.plusWeeks(1))).isFalse();
        assertThat(calendar.promoted("SKU-2", MONDAY)).isFalse();
        assertThat(calendar.expectedLift("SKU-1", MONDAY)).hasValue(1.6);
    }

    @Test
    void aRegionalPromotionReachesTheDealersWhoseRegionsOverlapIt() {
        List<PromotionPlanned> guangdong = List.of(promotion("SKU-1", "44", MONDAY, MONDAY.plusDays(6), null));

        assertThat(PlannedPromotions.of("SKU-1", guangdong, List.of("440106")).promoted("SKU-1", MONDAY)).isTrue();
        assertThat(PlannedPromotions.of("SKU-1", guangdong, List.of("4401")).promoted("SKU-1", MONDAY)).isTrue();
        // a dealer authorized for a whole country's worth of provinces, one of them Guangdong
        assertThat(PlannedPromotions.of("SKU-1", guangdong, List.of("11", "44")).promoted("SKU-1", MONDAY)).isTrue();
        assertThat(PlannedPromotions.of("SKU-1", guangdong, List.of("1101")).promoted("SKU-1", MONDAY)).isFalse();
        // a dealer whose regions are not known sees nationwide promotions only
        assertThat(PlannedPromotions.of("SKU-1", guangdong, List.of()).promoted("SKU-1", MONDAY)).isFalse();
    }

    private static PromotionPlanned promotion(String sku, String region, LocalDate first, LocalDate last, Double lift) {
        return PromotionPlanned.newBuilder().setEventId("e-" + sku + first).setOccurredAt(Instant.EPOCH)
                .setSource("test").setPromotionId("P-" + sku + first).setSku(sku).setRegionCode(region)
                .setFirstDay(first).setLastDay(last).setMechanism(PromotionMechanism.BUY_TWO_GET_ONE)
                .setExpectedLift(lift).build();
    }
}
