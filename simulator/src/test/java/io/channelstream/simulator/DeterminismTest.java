package io.channelstream.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.LocationKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    @Test
    void sameSeedGivesTheSameMasterDataAndTheSameEvents() {
        SimulationConfig config = SimulatorFixture.config(7, 0.03, 1);
        World first = WorldBuilder.build(config);
        World second = WorldBuilder.build(config);
        assertThat(second.sites()).isEqualTo(first.sites());
        assertThat(second.dealers()).isEqualTo(first.dealers());
        assertThat(second.products()).isEqualTo(first.products());
        assertThat(second.prices()).isEqualTo(first.prices());

        assertThat(tenDays(config)).isEqualTo(tenDays(config));
    }

    @Test
    void anotherSeedGivesAnotherWorldAndOtherEvents() {
        World seven = WorldBuilder.build(SimulatorFixture.config(7, 0.03, 1));
        World eight = WorldBuilder.build(SimulatorFixture.config(8, 0.03, 1));
        assertThat(eight.sites()).isNotEqualTo(seven.sites());
        assertThat(eight.products()).isNotEqualTo(seven.products());

        List<SimEvent> a = tenDays(SimulatorFixture.config(7, 0.03, 1));
        List<SimEvent> b = tenDays(SimulatorFixture.config(8, 0.03, 1));
        assertThat(b).isNotEqualTo(a);
    }

    @Test
    void theSeedNetworkHasTheSeedsNumbersAndScales() {
        World seed = WorldBuilder.build(SimulatorFixture.config(1, 1.0, 1));
        assertThat(seed.sites(LocationKind.CENTRAL_WAREHOUSE)).hasSize(1);
        assertThat(seed.sites(LocationKind.REGIONAL_WAREHOUSE)).hasSize(7);
        assertThat(seed.depots(1)).hasSize(120);
        assertThat(seed.depots(2)).hasSize(800);
        assertThat(seed.sites(LocationKind.STORE)).hasSize(300);
        assertThat(seed.products().size()).isGreaterThanOrEqualTo(500);
        // every province has dealers
        assertThat(seed.dealers().stream().filter(d -> d.tier() == 1)
                .map(d -> d.authorizedRegionCodes().get(0).substring(0, 2)).distinct().count()).isEqualTo(31);

        World tenth = WorldBuilder.build(SimulatorFixture.config(1, 0.1, 1));
        assertThat(tenth.depots(1)).hasSize(12);
        assertThat(tenth.sites(LocationKind.STORE)).hasSize(30);
    }

    private static List<SimEvent> tenDays(SimulationConfig config) {
        TrafficGenerator generator = new TrafficGenerator(WorldBuilder.build(config), config);
        List<SimEvent> events = new ArrayList<>();
        for (int day = 0; day < 10; day++) {
            events.addAll(generator.nextDay().events());
        }
        return events;
    }
}
