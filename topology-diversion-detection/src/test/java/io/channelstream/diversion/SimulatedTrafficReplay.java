package io.channelstream.diversion;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.AlertKeys;
import io.channelstream.simulator.AnomalyKind;
import io.channelstream.simulator.Label;
import io.channelstream.simulator.Scorer;
import io.channelstream.simulator.SimEvent;
import io.channelstream.simulator.Simulation;
import io.channelstream.simulator.SimulationConfig;
import io.channelstream.simulator.WorldBuilder;
import io.channelstream.streams.StreamsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The simulator's labelled traffic told through the diversion topology, scored by the simulator's own rules
 * ({@link Scorer}: one alert per condition, an alert answers a label when its type fits and it names one of
 * the label's keys). The world is generated with the simulator's library API into a list, exactly as
 * {@code generate} would publish it, and piped into a {@link TopologyTestDriver} in an {@link Order}.
 *
 * <p>{@code main} prints the score table: {@code mvn -o -q -pl topology-diversion-detection test-compile
 * org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.skip=false -Dexec.classpathScope=test
 * -Dexec.mainClass=io.channelstream.diversion.SimulatedTrafficReplay -Dexec.args="42 0.05 3"}.
 */
public final class SimulatedTrafficReplay {

    /** The simulator's small run of docs/simulator.md: seed 42, 1/20 of the seed network, from 2026-06-01. */
    static final LocalDate FIRST_MONDAY = LocalDate.of(2026, 6, 1);

    /** Wall-clock time between two piped events. */
    static final java.time.Duration WALL_CLOCK_PER_EVENT = java.time.Duration.ofMillis(1);

    /** How the generated events reach the topology. */
    enum Order {
        /** Exactly as the simulator publishes them. */
        PUBLICATION,
        /**
         * The race of a fast replay: within each hour of event time (taken in publication order), every scan
         * is piped before the shipments and transfers of that hour, so receipt and sale scans arrive before
         * the facts that bind their codes.
         */
        SCANS_BEFORE_SHIPMENTS_OF_THE_HOUR,
        /**
         * A harsher race: every shipment and transfer event is piped only once the other traffic has passed its
         * event time by a day, longer than the 6-hour wait (the scans' stream time runs a day ahead of the bindings).
         */
        BINDINGS_A_DAY_LATE
    }

    record Result(Scorer.Report report, List<Label> labels, List<Alert> alerts, long eventsPiped) {}

    private SimulatedTrafficReplay() {
    }

    static SimulationConfig config(long seed, double scale, int weeks) {
        return new SimulationConfig(seed, scale, weeks, FIRST_MONDAY, SimulationConfig.DEFAULT_CODE_DOMAIN,
                "sim" + seed, SimulationConfig.defaultAnomalies(), SimulationConfig.Demand.seedDefaults());
    }

    /** The simulated history (master data first) in publication order, and its labels. */
    record Traffic(List<SimEvent> events, List<Label> labels) {}

    static Traffic generate(SimulationConfig config) {
        List<SimEvent> events = new ArrayList<>();
        Simulation simulation = new Simulation(config, WorldBuilder.build(config), events::add, Clock.systemUTC());
        simulation.publishMasterData();
        simulation.runHistory(Simulation.DayListener.NONE);
        return new Traffic(List.copyOf(events), simulation.truth().labels());
    }

    static Result replay(Traffic traffic, DiversionConfig config, Order order, Path stateDir) {
        EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        Topology topology = DiversionTopology.buildInMemory(config, serdes);
        Set<String> consumed = sourceTopics(topology);
        List<Alert> alerts = new ArrayList<>();
        long piped = 0;
        Properties props = StreamsSettings.local("diversion-replay", "unused:9092", stateDir).toProperties();
        // the driver commits after every record; under exactly-once each commit also writes (and fsyncs) a
        // checkpoint per store, which makes 30,000 records take many minutes. The guarantee changes nothing
        // the driver computes (no broker, no fail-over), so the replay runs at-least-once.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestOutputTopic<String, Alert> alertTopic = driver.createOutputTopic(Topics.ALERTS.name(),
                    Serdes.String().deserializer(), serdes.value(Topics.ALERTS).deserializer());
            Map<String, TestInputTopic<String, SpecificRecord>> inputs = new HashMap<>();
            for (SimEvent event : ordered(traffic.events(), order)) {
                if (!consumed.contains(event.topic().name())) {
                    continue;
                }
                inputs.computeIfAbsent(event.topic().name(), name -> input(driver, serdes, event.topic()))
                        .pipeInput(event.key(), event.value(), event.occurredAt());
                // the wall clock of a replay at about a thousand events a second: settling verdicts are given
                // a few hundred events after their scan, in order
                driver.advanceWallClockTime(WALL_CLOCK_PER_EVENT);
                piped++;
                if (piped % 5_000 == 0) {
                    alerts.addAll(alertTopic.readValuesToList());
                }
            }
            // the traffic is over and the binding feed falls quiet: once the grace has passed on the wall clock,
            // what still waits for a binding is judged by the later of stream time and the wall clock, as the
            // running app would
            driver.advanceWallClockTime(config.bindingIdleGrace().plus(config.unknownCodeCheckInterval()));
            alerts.addAll(alertTopic.readValuesToList());
        }
        Scorer.Report report = Scorer.score(traffic.labels(), alerts, List.of(), Optional.empty(),
                "not replayed here (diversion topology only)");
        return new Result(report, traffic.labels(), List.copyOf(alerts), piped);
    }

    /** The events in the given order; see {@link Order}. */
    static List<SimEvent> ordered(List<SimEvent> events, Order order) {
        if (order == Order.PUBLICATION) {
            return events;
        }
        if (order == Order.BINDINGS_A_DAY_LATE) {
            return bindingsLate(events, java.time.Duration.ofDays(1));
        }
        List<SimEvent> result = new ArrayList<>(events.size());
        List<SimEvent> run = new ArrayList<>();
        Instant runHour = null;
        for (SimEvent event : events) {
            Instant hour = event.occurredAt().truncatedTo(ChronoUnit.HOURS);
            if (!hour.equals(runHour)) {
                flushScansFirst(run, result);
                runHour = hour;
            }
            run.add(event);
        }
        flushScansFirst(run, result);
        return result;
    }

    private static List<SimEvent> bindingsLate(List<SimEvent> events, java.time.Duration delay) {
        List<SimEvent> result = new ArrayList<>(events.size());
        java.util.ArrayDeque<SimEvent> held = new java.util.ArrayDeque<>();
        for (SimEvent event : events) {
            while (!held.isEmpty() && !held.peekFirst().occurredAt().plus(delay).isAfter(event.occurredAt())) {
                result.add(held.pollFirst());
            }
            if (event.topic() == Topics.SHIPMENTS || event.topic() == Topics.TRANSFERS) {
                held.addLast(event);
            } else {
                result.add(event);
            }
        }
        result.addAll(held);
        return result;
    }

    private static void flushScansFirst(List<SimEvent> run, List<SimEvent> into) {
        run.stream().sorted(Comparator.comparingInt(e -> e.topic() == Topics.SCANS ? 0 : 1)).forEach(into::add);
        run.clear();
    }

    @SuppressWarnings("unchecked")
    private static TestInputTopic<String, SpecificRecord> input(TopologyTestDriver driver, EventSerdes serdes,
                                                                Topic<?> topic) {
        Topic<SpecificRecord> typed = (Topic<SpecificRecord>) topic;
        return driver.createInputTopic(typed.name(), Serdes.String().serializer(), serdes.value(typed).serializer());
    }

    /** The topics the topology reads (stream sources and global stores), internal repartition topics aside. */
    private static Set<String> sourceTopics(Topology topology) {
        Set<String> topics = new HashSet<>();
        TopologyDescription description = topology.describe();
        description.subtopologies().forEach(sub -> sub.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                topics.addAll(source.topicSet());
            }
        }));
        description.globalStores().forEach(store -> topics.addAll(store.source().topicSet()));
        return topics;
    }

    /**
     * Labels of a look-alike kind named by a raised alert of its alert types that answers no positive label.
     * The simulator's scorer counts every such naming; here an alert that is the right answer to a labelled
     * anomaly is not also a false alarm on a look-alike whose keys it happens to name (goods of a shipment
     * published late that are later diverted carry both labels, and a diversion alert names the shipment).
     */
    static List<Label> falseAlarms(Result result, AnomalyKind lookAlike) {
        List<Label> positives = result.labels().stream().filter(l -> l.kind().positive()).toList();
        List<Alert> unexplained = raised(result.alerts()).stream()
                .filter(a -> lookAlike.alertTypes().contains(a.getAlertType()))
                .filter(a -> positives.stream().noneMatch(l -> answers(a, l)))
                .toList();
        return result.labels().stream().filter(l -> l.kind() == lookAlike)
                .filter(l -> unexplained.stream().anyMatch(a -> names(a, l)))
                .toList();
    }

    /** Raised alerts, one per condition, as the scorer counts them. */
    private static List<Alert> raised(List<Alert> alerts) {
        Map<String, Alert> byCondition = new LinkedHashMap<>();
        alerts.stream().filter(a -> a.getStatus() == AlertStatus.RAISED)
                .forEach(a -> byCondition.putIfAbsent(a.getAlertType() + "|" + a.getConditionKey(), a));
        return List.copyOf(byCondition.values());
    }

    private static boolean answers(Alert alert, Label label) {
        return label.kind().alertTypes().contains(alert.getAlertType()) && names(alert, label);
    }

    static boolean names(Alert alert, Label label) {
        Set<String> keys = AlertKeys.of(alert);
        return label.keys().stream().anyMatch(keys::contains);
    }

    /** Prints the score table of one replay: {@code [seed] [scale] [weeks] [PUBLICATION|SCANS_BEFORE_...]}. */
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 0.05;
        int weeks = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Order order = args.length > 3 ? Order.valueOf(args[3]) : Order.PUBLICATION;
        long started = System.nanoTime();
        Traffic traffic = generate(config(seed, scale, weeks));
        Path stateDir;
        try {
            stateDir = Files.createTempDirectory("diversion-replay");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Result result = replay(traffic, DiversionConfig.defaults(), order, stateDir);
        System.out.printf(Locale.ROOT, "seed %d, scale %s, %d weeks, order %s: %,d events piped, %d labels, "
                        + "%d alert records (%.1f s)%n%n", seed, scale, weeks, order, result.eventsPiped(),
                result.labels().size(), result.alerts().size(), (System.nanoTime() - started) / 1e9);
        System.out.print(result.report().render());
        for (AnomalyKind lookAlike : List.of(AnomalyKind.values())) {
            if (!lookAlike.positive()) {
                System.out.printf(Locale.ROOT, "%s: %d false alarms by alerts that answer no labelled anomaly%n",
                        lookAlike, falseAlarms(result, lookAlike).size());
            }
        }
    }
}
