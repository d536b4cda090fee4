package io.channelstream.simulator;

import io.channelstream.events.PromotionMechanism;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.schemas.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Runs a simulation into a sink: master data first, then {@code historyWeeks} of event-time history as fast
 * as the sink takes it (events carry their own {@code occurredAt}), then, if asked, live traffic: the
 * following simulated days, paced to a rate and stamped with the wall clock as they are published.
 */
public final class Simulation {

    /** Weeks after the history the promotion calendar also covers, so live traffic's promotions are planned too. */
    public static final int PROMOTIONS_PLANNED_BEYOND_HISTORY_WEEKS = 13;

    private final SimulationConfig config;
    private final World world;
    private final TrafficGenerator generator;
    private final GroundTruth truth;
    private final EventSink sink;
    private final Clock clock;
    private long published;
    private final Deque<SimEvent> liveBacklog = new ArrayDeque<>();

    public Simulation(SimulationConfig config, EventSink sink) {
        this(config, WorldBuilder.build(config), sink, Clock.systemUTC());
    }

    public Simulation(SimulationConfig config, World world, EventSink sink, Clock clock) {
        this.config = config;
        this.world = world;
        this.generator = new TrafficGenerator(world, config);
        this.truth = new GroundTruth(world);
        this.sink = sink;
        this.clock = clock;
    }

    public World world() {
        return world;
    }

    public GroundTruth truth() {
        return truth;
    }

    public long published() {
        return published;
    }

    /**
     * Master data, stamped a day before the history starts so topologies know it before the first fact: the
     * world's, then the brand's promotion calendar ({@link #plannedPromotions}).
     */
    public void publishMasterData() {
        Instant at = config.firstMonday().minusDays(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        for (SimEvent event : world.masterDataEvents(at, config.eventIdPrefix())) {
            publish(event);
        }
        for (SimEvent event : plannedPromotions(at)) {
            publish(event);
        }
        sink.flush();
    }

    /**
     * The demand model's promotions as the brand plans them ({@code master.promotions}): per SKU, each run of
     * consecutive buy-two-get-one weeks (Monday to Sunday) is one nationwide promotion, over the history and
     * {@value #PROMOTIONS_PLANNED_BEYOND_HISTORY_WEEKS} weeks beyond it. No expected lift is given: the lift is a
     * cause of demand the forecast has to measure.
     */
    public List<SimEvent> plannedPromotions(Instant at) {
        DemandModel demand = new DemandModel(config);
        int weeks = config.historyWeeks() + PROMOTIONS_PLANNED_BEYOND_HISTORY_WEEKS;
        List<SimEvent> events = new ArrayList<>();
        int n = 0;
        for (World.Product product : world.products()) {
            String sku = product.sku();
            for (int w = 0; w < weeks; w++) {
                LocalDate first = config.firstMonday().plusWeeks(w);
                if (!demand.promoted(sku, first)) {
                    continue;
                }
                while (w + 1 < weeks && demand.promoted(sku, config.firstMonday().plusWeeks(w + 1))) {
                    w++;
                }
                LocalDate last = config.firstMonday().plusWeeks(w).plusDays(6);
                String promotionId = config.eventIdPrefix() + "-promo-" + sku + "-"
                        + first.format(DateTimeFormatter.BASIC_ISO_DATE);
                events.add(new SimEvent(Topics.PROMOTIONS, Topics.key(sku, promotionId), PromotionPlanned.newBuilder()
                        .setEventId(config.eventIdPrefix() + "-promo-" + (n++)).setOccurredAt(at).setSource("simulator")
                        .setPromotionId(promotionId).setSku(sku).setRegionCode(NATIONWIDE)
                        .setFirstDay(first).setLastDay(last).setMechanism(PromotionMechanism.BUY_TWO_GET_ONE)
                        .build()));
            }
        }
        return events;
    }

    /** GB/T 2260's code for the whole country. */
    static final String NATIONWIDE = "000000";

    /** The configured weeks of history, as fast as the sink takes them. */
    public void runHistory(DayListener listener) {
        for (int day = 0; day < config.historyWeeks() * 7; day++) {
            TrafficGenerator.Day generated = generator.nextDay();
            generated.events().forEach(this::publish);
            truth.label(generated.labels());
            truth.expect(generated.expectedUnits());
            listener.dayDone(generated, published);
        }
        sink.flush();
    }

    /**
     * Live traffic at {@code eventsPerSecond} until {@code maxDuration} has passed or {@code stop} says so.
     * Each event is stamped with the wall clock as it is published, so the system sees a live stream.
     */
    public void runLive(double eventsPerSecond, Duration maxDuration, BooleanSupplier stop) throws InterruptedException {
        if (eventsPerSecond <= 0) {
            return;
        }
        long start = System.nanoTime();
        long sent = 0;
        long limitNanos = maxDuration.toNanos();
        while (!stop.getAsBoolean() && System.nanoTime() - start < limitNanos) {
            SimEvent next = nextLive();
            publish(Retime.at(next, clock.instant()));
            sent++;
            long dueNanos = (long) (sent * 1e9 / eventsPerSecond);
            long wait = dueNanos - (System.nanoTime() - start);
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        sink.flush();
    }

    /** The next event of live traffic (generating further simulated days as needed). */
    public SimEvent nextLive() {
        while (liveBacklog.isEmpty()) {
            TrafficGenerator.Day generated = generator.nextDay();
            liveBacklog.addAll(generated.events());
            truth.label(generated.labels()); // expected demand is not kept: live weeks follow the wall clock
        }
        return liveBacklog.pollFirst();
    }

    /** Publishes one event and counts it into the truth. */
    public void publish(SimEvent event) {
        sink.accept(event);
        truth.observe(event);
        published++;
    }

    /** What run.json records: everything needed to reproduce and to read the truth. */
    public Map<String, Object> describe() {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("seed", config.seed());
        run.put("scale", config.scale());
        run.put("historyWeeks", config.historyWeeks());
        run.put("firstMonday", config.firstMonday().toString());
        run.put("eventIdPrefix", config.eventIdPrefix());
        run.put("codeDomain", config.codeDomain());
        Map<String, Integer> anomalies = new LinkedHashMap<>();
        config.anomaliesPerWeek().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> anomalies.put(e.getKey().name(), e.getValue()));
        run.put("anomaliesPerWeek", anomalies);
        run.put("demand", config.demand());
        run.put("world", world.census());
        run.put("eventsPublished", published);
        return run;
    }

    /** Told after each simulated day of history. */
    @FunctionalInterface
    public interface DayListener {
        void dayDone(TrafficGenerator.Day day, long publishedSoFar);

        DayListener NONE = (day, n) -> { };
    }
}
