package io.channelstream.simulator;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A small simulated world run through a list, shared by the tests (generated once per JVM). */
final class SimulatorFixture {

    /** Early summer, so the wipes season shows; a Monday. */
    static final LocalDate FIRST_MONDAY = LocalDate.of(2026, 6, 1);

    record Run(SimulationConfig config, Simulation simulation, List<SimEvent> events) {}

    private static Run small;

    private SimulatorFixture() {
    }

    static SimulationConfig config(long seed, double scale, int weeks) {
        return new SimulationConfig(seed, scale, weeks, FIRST_MONDAY, SimulationConfig.DEFAULT_CODE_DOMAIN,
                "t" + seed, SimulationConfig.defaultAnomalies(), SimulationConfig.Demand.seedDefaults());
    }

    static Run run(SimulationConfig config) {
        List<SimEvent> events = new ArrayList<>();
        Simulation simulation = new Simulation(config, WorldBuilder.build(config), events::add, Clock.systemUTC());
        simulation.publishMasterData();
        simulation.runHistory(Simulation.DayListener.NONE);
        return new Run(config, simulation, events);
    }

    /** Three weeks at 1/20 of the seed network (6 dealers, 40 distributors, 15 stores, 27 SKUs). */
    static synchronized Run small() {
        if (small == null) {
            small = run(config(11, 0.05, 3));
        }
        return small;
    }
}
