package io.channelstream.benchmarks;

import io.channelstream.infra.EmbeddedKafka;
import io.channelstream.simulator.SimulationConfig;
import io.channelstream.simulator.World;
import io.channelstream.simulator.WorldBuilder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness: one run, a few minutes, on this machine with the broker co-located. Prints the core
 * count, the seed and a table, and writes the table into its own marked section of docs/benchmarks.md (other
 * sections of that file are kept). A benchmark, not a test: nothing here passes or fails on a figure.
 *
 * <pre>
 * mvn -q -pl api-reactive,benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar [--seed 42] [--repetitions 3] [--read-seconds 8] [--skip-api]
 *      [--app-jar api-reactive/target/api-reactive.jar] [--doc docs/benchmarks.md] [--no-doc]
 *      [--streams-config max.task.idle.ms=-1,commit.interval.ms=200] [--only inventory,diversion,forecast,api,transfers,transfers-cpu]
 * </pre>
 * {@code --only} runs the named scenarios alone (default: all four, inventory, diversion, forecast and api, in
 * that order; each prints the minutes it took, and the run as a whole is meant to stay within 10 minutes).
 * {@code --only transfers} (not in the default run: seeding takes minutes) starts the app with the seed world's
 * stock and measures transfer suggestions over HTTP; {@code --only transfers-cpu} the CPU time of one suggestion
 * in-process, which other load on the machine inflates less. {@code --skip-api} leaves out the API rows (no app process).
 * {@code --streams-config} lays Kafka Streams settings over the project's for the topology runs, to price a
 * setting before proposing it; the rows say so.
 */
public final class BenchmarkMain {

    static final String COMMAND = "mvn -q -pl api-reactive,benchmarks -am package -DskipTests && "
            + "java -jar benchmarks/target/benchmarks.jar";

    private BenchmarkMain() {
    }

    /** The scenarios of a run, in order; add new ones (transfer suggestion, SSE) here. */
    static List<Scenario> scenarios(Map<String, String> options) {
        java.util.Set<String> only = options.containsKey("only")
                ? java.util.Set.of(options.get("only").split(","))
                : java.util.Set.of("inventory", "diversion", "forecast", "api");
        List<Scenario> scenarios = new ArrayList<>();
        if (only.contains("inventory")) {
            scenarios.add(new InventoryScenario());
        }
        if (only.contains("diversion")) {
            scenarios.add(new DiversionScenario());
        }
        if (only.contains("forecast")) {
            scenarios.add(new ForecastScenario());
        }
        if (only.contains("api") && !options.containsKey("skip-api")) {
            scenarios.add(new ApiScenario());
        }
        if (only.contains("transfers") && !options.containsKey("skip-api")) {
            scenarios.add(new TransferSuggestionScenario());
        }
        if (only.contains("transfers-cpu")) {
            scenarios.add(new TransferSuggestionCpuScenario());
        }
        return scenarios;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        long seed = Long.parseLong(options.getOrDefault("seed", "42"));
        int repetitions = Integer.parseInt(options.getOrDefault("repetitions", "3"));
        Duration readDuration = Duration.ofSeconds(Long.parseLong(options.getOrDefault("read-seconds", "8")));
        Path appJar = Path.of(options.getOrDefault("app-jar", "api-reactive/target/api-reactive.jar"));
        Path doc = Path.of(options.getOrDefault("doc", "docs/benchmarks.md"));

        Machine before = Machine.now();
        System.out.printf(Locale.ROOT, "Channelstream benchmark: seed %d, %d cores, %s memory, load %s, %s%n", seed,
                before.cores(), before.memory(), before.load(), before.jvm());
        long started = System.nanoTime();
        World world = WorldBuilder.build(SimulationConfig.defaults(seed, 1.0, 0, LocalDate.now(ZoneOffset.UTC)));
        Path workDir = Files.createTempDirectory("channelstream-bench");
        List<Row> rows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        // the broker's log lives in the run's own directory (not a shared /tmp/kafka-* one), removed at the end
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(workDir.resolve("kafka")).start()) {
            BenchContext context = new BenchContext(seed, world, kafka, BenchContext.inProcessSerdes(), workDir,
                    repetitions, appJar, readDuration, streamsOverrides(options.get("streams-config")));
            for (Scenario scenario : scenarios(options)) {
                System.out.println("== " + scenario.name());
                long scenarioStarted = System.nanoTime();
                try {
                    rows.addAll(scenario.run(context));
                    System.out.printf(Locale.ROOT, "  (%s took %.1f min)%n", scenario.name(),
                            (System.nanoTime() - scenarioStarted) / 6e10);
                } catch (Exception e) {
                    // a scenario that cannot run is reported, and the others still run
                    failures.add(scenario.name() + ": " + e.getMessage());
                    System.out.println("  FAILED: " + e);
                }
            }
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            System.gc();
            rows.add(new Row("harness JVM heap used after GC (in-process broker, topologies, load generator)",
                    String.format(Locale.ROOT, "%.0f MiB", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()
                            .getUsed() / 1048576.0),
                    String.format(Locale.ROOT, "max heap: %.0f MiB", heap.getMax() / 1048576.0), Double.NaN, ""));
        }
        Path appLog = workDir.resolve("app.log");
        if (Files.exists(appLog)) {
            Path kept = Path.of(System.getProperty("java.io.tmpdir"), "channelstream-bench-last-app.log");
            Files.copy(appLog, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            System.out.println("the app's log of this run: " + kept);
        }
        if (failures.isEmpty()) {
            org.apache.kafka.common.utils.Utils.delete(workDir.toFile());
        } else {
            System.out.println("kept for a look (the app's log is app.log): " + workDir);
        }
        Machine after = Machine.now();
        double minutes = (System.nanoTime() - started) / 6e10;
        String table = table(rows);
        System.out.println();
        System.out.print(table);
        failures.forEach(f -> System.out.println("not measured: " + f));
        System.out.printf(Locale.ROOT, "%nrun took %.1f min; load before %s, after %s%n", minutes, before.load(),
                after.load());
        if (!options.containsKey("no-doc")) {
            BenchmarksDoc.update(doc, section(seed, repetitions, before, after, minutes, table, failures));
            System.out.println("written to " + doc.toAbsolutePath());
        }
    }

    static String table(List<Row> rows) {
        StringBuilder out = new StringBuilder("| measured | figure | baseline, same run | ratio | note |\n"
                + "|---|---|---|---|---|\n");
        for (Row row : rows) {
            out.append("| ").append(row.scenario()).append(" | ").append(row.figure()).append(" | ")
                    .append(row.baseline()).append(" | ").append(row.ratioText()).append(" | ").append(row.note())
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String section(long seed, int repetitions, Machine before, Machine after, double minutes,
                                  String table, List<String> failures) {
        StringBuilder s = new StringBuilder();
        s.append("## Harness run (simulator seed-scale world)\n\n");
        s.append("Written by the benchmark harness (`benchmarks` module); rerun it to replace this section:\n\n");
        s.append("```bash\n").append(COMMAND).append("\n```\n\n");
        s.append(String.format(Locale.ROOT, "Run of %s: seed %d, %d repetitions of each cheap measurement (medians), "
                        + "%.1f minutes. Machine: %d cores, %s memory, %s; load average before %s, after %s.%n%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE), seed, repetitions,
                minutes, before.cores(), before.memory(), before.jvm(), before.load(), after.load()));
        s.append("Broker: the topology rows use a KRaft broker inside the harness JVM; the API rows start the app "
                + "as its own JVM (`java -Xmx1g -jar api-reactive/target/api-reactive.jar`, local mode, bench "
                + "endpoints on), which runs its own embedded broker, PostgreSQL and Redis on this machine. "
                + "Every ratio is figure / baseline measured in the same run.\n\n");
        s.append(table);
        if (!failures.isEmpty()) {
            s.append("\nNot measured in this run: ").append(String.join("; ", failures)).append('\n');
        }
        return s.toString();
    }

    /** {@code key=value,key=value} into a map (kept in the given order, so the rows name them as given). */
    static Map<String, String> streamsOverrides(String spec) {
        Map<String, String> overrides = new java.util.LinkedHashMap<>();
        if (spec != null && !spec.isBlank()) {
            for (String pair : spec.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--streams-config wants key=value pairs, got '" + pair + "'");
                }
                overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        return overrides;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(name, args[++i]);
            } else {
                options.put(name, "true");
            }
        }
        return options;
    }

    record Machine(int cores, String memory, String load, String jvm) {
        static Machine now() {
            String memory = "?";
            String load = "?";
            try {
                for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                    if (line.startsWith("MemTotal:")) {
                        long kb = Long.parseLong(line.replaceAll("\\D", ""));
                        memory = String.format(Locale.ROOT, "%.0f GiB", kb / 1048576.0);
                    }
                }
                String[] avg = Files.readString(Path.of("/proc/loadavg")).split(" ");
                load = avg[0] + " / " + avg[1] + " / " + avg[2] + " (1/5/15 min)";
            } catch (Exception notLinux) {
                // figures stay "?"
            }
            return new Machine(Runtime.getRuntime().availableProcessors(), memory, load,
                    "Java " + System.getProperty("java.version"));
        }
    }
}
