package io.channelstream.benchmarks;

import io.channelstream.events.OrderEvent;
import io.channelstream.events.OrderPlaced;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.SimEvent;
import io.channelstream.simulator.SimulationConfig;
import io.channelstream.simulator.TrafficGenerator;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Simulated days of the seed-scale world (the simulator's library API, its default anomaly mix), kept by topic:
 * shipments and transfers (which bind codes), scans, orders. Generated once per run and shared by the diversion
 * and forecast scenarios; days are added until both backlogs are big enough or a day cap is reached.
 */
final class SimTraffic {

    static final int MAX_DAYS = 28;
    static final int HISTORY_WEEKS = 5;

    final List<SimEvent> shipments = new ArrayList<>();
    final List<SimEvent> transfers = new ArrayList<>();
    final List<SimEvent> scans = new ArrayList<>();
    final List<SimEvent> orders = new ArrayList<>();
    long orderLines;
    int days;

    private static SimTraffic generated;

    /** The run's traffic: at least {@code scans} scans and {@code lines} order lines (or {@link #MAX_DAYS} days). */
    static synchronized SimTraffic of(BenchContext ctx, int scans, long lines) {
        if (generated == null) {
            generated = new SimTraffic();
        }
        generated.extend(ctx, scans, lines);
        return generated;
    }

    private TrafficGenerator generator;

    private void extend(BenchContext ctx, int wantScans, long wantLines) {
        if (generator == null) {
            // the harness's world (BenchmarkMain), its days starting HISTORY_WEEKS back: the broker refuses
            // record times more than an hour ahead, and a topology that stamps its output with event time would
            // otherwise write simulated days still to come
            generator = new TrafficGenerator(ctx.world(),
                    SimulationConfig.defaults(ctx.seed(), 1.0, HISTORY_WEEKS, LocalDate.now(ZoneOffset.UTC)));
        }
        long started = System.nanoTime();
        int before = days;
        while ((scans.size() < wantScans || orderLines < wantLines) && days < MAX_DAYS) {
            for (SimEvent event : generator.nextDay().events()) {
                if (event.topic() == Topics.SHIPMENTS) {
                    shipments.add(event);
                } else if (event.topic() == Topics.TRANSFERS) {
                    transfers.add(event);
                } else if (event.topic() == Topics.SCANS) {
                    scans.add(event);
                } else if (event.topic() == Topics.ORDERS) {
                    orders.add(event);
                    if (((OrderEvent) event.value()).getPayload() instanceof OrderPlaced placed) {
                        orderLines += placed.getLines().size();
                    }
                }
            }
            days++;
        }
        if (days > before) {
            System.out.printf(Locale.ROOT, "  simulated %d days in %.1f s: %,d shipments, %,d transfers, %,d scans, "
                            + "%,d orders (%,d lines)%n", days, (System.nanoTime() - started) / 1e9, shipments.size(),
                    transfers.size(), scans.size(), orders.size(), orderLines);
        }
    }
}
