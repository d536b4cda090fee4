package io.channelstream.simulator;

import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.RestSchemaRegistryClient;
import io.channelstream.schemas.SchemaRegistryClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Command line of the simulator.
 *
 * <pre>
 * generate  [--seed 42] [--scale 1] [--weeks 13] [--first-monday YYYY-MM-DD] [--run-dir target/sim-run]
 *           [--bootstrap localhost:9092] [--registry http://localhost:8080/schema-registry]
 *           [--registry-user registry] [--registry-password registry-secret]
 *           [--live-per-second 0] [--live-minutes 0] [--anomalies KIND=n,...] [--dry-run]
 * score     [--run-dir target/sim-run] [--bootstrap ...] [--registry ...] [--alerts-topic alerts]
 *           [--forecast-topic forecast.order-suggestions] [--timeout-seconds 30] [--examples 2]
 * </pre>
 */
public final class SimulatorCli {

    private SimulatorCli() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
            usage();
            return;
        }
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "generate" -> generate(options);
            case "score" -> score(options);
            default -> {
                System.err.println("unknown command '" + args[0] + "'");
                usage();
                System.exit(2);
            }
        }
    }

    private static void generate(Map<String, String> o) throws InterruptedException {
        long seed = Long.parseLong(o.getOrDefault("seed", "42"));
        double scale = Double.parseDouble(o.getOrDefault("scale", "1"));
        int weeks = Integer.parseInt(o.getOrDefault("weeks", "13"));
        Path runDir = Path.of(o.getOrDefault("run-dir", "target/sim-run"));
        SimulationConfig config = SimulationConfig.defaults(seed, scale, weeks, LocalDate.now(ZoneOffset.UTC));
        if (o.containsKey("first-monday")) {
            config = new SimulationConfig(seed, scale, weeks, LocalDate.parse(o.get("first-monday")),
                    config.codeDomain(), config.eventIdPrefix(), config.anomaliesPerWeek(), config.demand());
        }
        if (o.containsKey("anomalies")) {
            config = config.withAnomalies(anomalies(o.get("anomalies"), config.anomaliesPerWeek()));
        }
        if (o.containsKey("event-id-prefix")) {
            config = config.withEventIdPrefix(o.get("event-id-prefix"));
        }
        boolean dryRun = o.containsKey("dry-run");
        double livePerSecond = Double.parseDouble(o.getOrDefault("live-per-second", "0"));
        Duration liveFor = Duration.ofSeconds(Math.round(Double.parseDouble(o.getOrDefault("live-minutes", "0")) * 60));

        World world = WorldBuilder.build(config);
        System.out.printf(Locale.ROOT, "seed %d, scale %s, %d weeks of history from %s; world %s%n", seed, scale,
                weeks, config.firstMonday(), world.census());
        EventSink sink;
        if (dryRun) {
            sink = event -> { };
        } else {
            String bootstrap = o.getOrDefault("bootstrap", "localhost:9092");
            KafkaEventSink.createTopics(bootstrap, Short.parseShort(o.getOrDefault("replication-factor", "1")));
            sink = new KafkaEventSink(bootstrap, new EventSerdes(registry(o), true));
            System.out.println("publishing to " + bootstrap + (dryRun ? "" : ", registry " + registryUrl(o)));
        }
        Simulation simulation = new Simulation(config, world, sink, java.time.Clock.systemUTC());
        long started = System.nanoTime();
        try (sink) {
            simulation.publishMasterData();
            simulation.runHistory((day, published) -> {
                if (day.date().getDayOfWeek() == java.time.DayOfWeek.SUNDAY) {
                    System.out.printf(Locale.ROOT, "  week of %s done: %,d events so far (%.0f s)%n",
                            day.date().minusDays(6), published, (System.nanoTime() - started) / 1e9);
                }
            });
            simulation.truth().write(runDir, simulation.describe());
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(Locale.ROOT, "history: %,d events in %.1f s (%,.0f events/s); %d labels; truth in %s%n",
                    simulation.published(), seconds, simulation.published() / seconds, simulation.truth().labels().size(),
                    runDir.toAbsolutePath());
            if (livePerSecond > 0 && !liveFor.isZero()) {
                AtomicBoolean stop = new AtomicBoolean();
                Thread hook = new Thread(() -> stop.set(true));
                Runtime.getRuntime().addShutdownHook(hook);
                System.out.printf(Locale.ROOT, "live: %.1f events/s for %s (Ctrl-C stops)%n", livePerSecond, liveFor);
                simulation.runLive(livePerSecond, liveFor, stop::get);
                simulation.truth().write(runDir, simulation.describe());
                System.out.printf(Locale.ROOT, "live done: %,d events in all; truth updated in %s%n",
                        simulation.published(), runDir.toAbsolutePath());
            }
        }
    }

    private static void score(Map<String, String> o) {
        Path runDir = Path.of(o.getOrDefault("run-dir", "target/sim-run"));
        String bootstrap = o.getOrDefault("bootstrap", "localhost:9092");
        String alertsTopic = o.getOrDefault("alerts-topic", "alerts");
        String forecastTopic = o.getOrDefault("forecast-topic", io.channelstream.schemas.Topics.ORDER_SUGGESTIONS.name());
        Duration timeout = Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout-seconds", "30")));
        List<Label> labels = GroundTruth.readLabels(runDir);
        List<DemandTruth> demand = GroundTruth.readDemand(runDir);
        SystemOutput output = new SystemOutput(bootstrap, registry(o), timeout);
        List<io.channelstream.events.Alert> alerts = output.topicExists(alertsTopic) ? output.alerts(alertsTopic) : List.of();
        Optional<List<ForecastPoint>> forecasts = output.forecasts(forecastTopic);
        String source = forecasts.isPresent() ? "topic '" + forecastTopic + "'" : "no topic '" + forecastTopic + "'";
        System.out.printf(Locale.ROOT, "%d labels and %d demand rows from %s; %d alert records on '%s'%n%n",
                labels.size(), demand.size(), runDir.toAbsolutePath(), alerts.size(), alertsTopic);
        System.out.print(Scorer.score(labels, alerts, demand, forecasts, source).render());
        int examples = Integer.parseInt(o.getOrDefault("examples", "2"));
        if (examples > 0) {
            printUnansweredAlerts(labels, alerts, examples);
        }
    }

    /** A few alerts per kind that answer no label of theirs: where a detector and the truth disagree. */
    private static void printUnansweredAlerts(List<Label> labels, List<io.channelstream.events.Alert> alerts,
                                              int perKind) {
        List<io.channelstream.events.Alert> raised = Scorer.dedupe(alerts);
        for (AnomalyKind kind : AnomalyKind.values()) {
            if (!kind.positive()) {
                continue;
            }
            List<Label> ofKind = labels.stream().filter(l -> l.kind() == kind).toList();
            List<io.channelstream.events.Alert> unanswered = raised.stream()
                    .filter(a -> kind.alertTypes().contains(a.getAlertType()))
                    .filter(a -> ofKind.stream().noneMatch(l -> Scorer.answers(a, l)))
                    .limit(perKind).toList();
            for (io.channelstream.events.Alert a : unanswered) {
                System.out.printf(Locale.ROOT, "unlabelled %s: %s | code %s | %s | evidence %s%n", a.getAlertType(),
                        a.getConditionKey(), a.getCode(), a.getSummary(), a.getEvidence());
            }
        }
    }

    private static SchemaRegistryClient registry(Map<String, String> o) {
        return new RestSchemaRegistryClient(URI.create(registryUrl(o)), o.getOrDefault("registry-user", "registry"),
                o.getOrDefault("registry-password", "registry-secret"));
    }

    private static String registryUrl(Map<String, String> o) {
        return o.getOrDefault("registry", "http://localhost:8080/schema-registry");
    }

    static Map<AnomalyKind, Integer> anomalies(String spec, Map<AnomalyKind, Integer> defaults) {
        Map<AnomalyKind, Integer> perWeek = new EnumMap<>(AnomalyKind.class);
        perWeek.putAll(defaults);
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2) {
                throw new IllegalArgumentException("--anomalies expects KIND=n,KIND=n; got '" + part + "'");
            }
            perWeek.put(AnomalyKind.valueOf(kv[0].trim().toUpperCase(Locale.ROOT)), Integer.parseInt(kv[1].trim()));
        }
        return perWeek;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(name, args[++i]);
            } else {
                options.put(name, "true");
            }
        }
        return options;
    }

    private static void usage() {
        System.out.println("""
                Channelstream simulator
                  generate [--seed 42] [--scale 1] [--weeks 13] [--first-monday YYYY-MM-DD] [--run-dir target/sim-run]
                           [--bootstrap localhost:9092] [--registry http://localhost:8080/schema-registry]
                           [--registry-user registry] [--registry-password registry-secret]
                           [--live-per-second 0] [--live-minutes 0] [--anomalies KIND=n,...] [--dry-run]
                  score    [--run-dir target/sim-run] [--bootstrap localhost:9092] [--registry ...]
                           [--alerts-topic alerts] [--forecast-topic forecast.order-suggestions] [--timeout-seconds 30] [--examples 2]
                See docs/simulator.md.""");
    }
}
