package io.channelstream.benchmarks;

import io.channelstream.inventory.InventoryRules;
import io.channelstream.inventory.InventoryTopology;
import io.channelstream.inventory.NetworkReads;
import io.channelstream.inventory.TransferRanking;
import io.channelstream.inventory.TransferSources;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.KafkaEventSink;
import io.channelstream.simulator.World;
import io.channelstream.streams.StreamsSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What one transfer suggestion costs, as CPU time of the thread that computes it, which other load on the machine
 * does not inflate the way it inflates latency: the inventory topology runs in the harness JVM on its broker with
 * the seed world's stock (as {@link TransferSuggestionScenario} seeds the app), and the thread answers one
 * suggestion after another ({@link TransferSources#share} and {@link TransferRanking}, what an instance owning every
 * partition does per request, without HTTP, security and JSON), next to the network view's gather of the same SKU
 * ({@link NetworkReads#holdings}). Run it alone: it reads {@code stock-movements} from the start.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar --only transfers-cpu --no-doc
 * </pre>
 */
final class TransferSuggestionCpuScenario implements Scenario {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Override
    public String name() {
        return "transfer suggestions, CPU per call (in-process topology, seed scale)";
    }

    @Override
    public List<Row> run(BenchContext ctx) throws Exception {
        String bootstrap = ctx.kafka().bootstrapServers();
        KafkaEventSink.createTopics(bootstrap, (short) 1);
        try (KafkaEventSink sink = new KafkaEventSink(bootstrap, ctx.serdes())) {
            ctx.world().masterDataEvents(Instant.parse("2026-01-01T00:00:00Z"), "bench-ts").forEach(sink::accept);
        }
        List<World.Site> sites = ctx.world().sites();
        List<World.Product> products = ctx.world().products();
        List<World.Product> measured = products.subList(0, TransferSuggestionScenario.MEASURED_SKUS);
        long seeded = System.nanoTime();
        long events = TransferSuggestionScenario.stock(ctx, bootstrap, ctx.serdes(), sites, products, measured);
        String applicationId = "bench-transfers-" + System.nanoTime();
        StreamsSettings settings = StreamsSettings.local(applicationId, bootstrap, ctx.workDir().resolve(applicationId));
        try (KafkaStreams streams = new KafkaStreams(InventoryTopology.build(ctx.serdes()), settings.toProperties())) {
            streams.start();
            TransferSuggestionScenario.awaitCaughtUp(bootstrap, applicationId);
            System.out.printf(Locale.ROOT, "  %,d stock events (%d locations x %d SKUs) applied in %.0f s%n", events,
                    sites.size(), products.size(), (System.nanoTime() - seeded) / 1e9);
            Random random = new Random(ctx.seed());
            List<World.Site> destinations = new ArrayList<>(sites);
            Collections.shuffle(destinations, random);
            destinations = destinations.subList(0, TransferSuggestionScenario.DESTINATIONS);
            List<String[]> pairs = new ArrayList<>();
            for (World.Site destination : destinations) {
                for (World.Product product : measured) {
                    pairs.add(new String[] {destination.locationId(), product.sku()});
                }
            }
            Collections.shuffle(pairs, random);
            TransferSources sources = new TransferSources(streams);
            NetworkReads network = new NetworkReads(streams);
            TransferRanking.Economics economics = TransferRanking.Economics.defaults();
            LocalDate today = LocalDate.now(InventoryRules.defaults().businessZone());
            long[] suggestCpu = new long[pairs.size()];
            long[] networkCpu = new long[pairs.size()];
            int considered = 0;
            for (int round = 0; round < 2; round++) { // the first round warms up (JIT, block cache)
                for (int i = 0; i < pairs.size(); i++) {
                    String[] pair = pairs.get(i);
                    long before = THREADS.getCurrentThreadCpuTime();
                    TransferSources.Share share = sources.share(pair[1], pair[0], 300, System.currentTimeMillis());
                    TransferRanking.Need need = TransferRanking.need(share.destination(),
                            TransferSuggestionScenario.NEED, economics);
                    TransferRanking.rank(share.destination(), need.units(), share.sources(), economics, today, 10);
                    long between = THREADS.getCurrentThreadCpuTime();
                    NetworkReads.Share holdings = network.holdings(pair[1], null);
                    long after = THREADS.getCurrentThreadCpuTime();
                    suggestCpu[i] = between - before;
                    networkCpu[i] = after - between;
                    considered = share.sources().size();
                    if (holdings.servedPartitions().size() != Topics.STOCK_MOVEMENTS.partitions()) {
                        throw new IllegalStateException("the network read did not see every partition");
                    }
                }
            }
            double s50 = Stats.millis(Stats.percentile(suggestCpu, 50));
            double s99 = Stats.millis(Stats.percentile(suggestCpu, 99));
            double n50 = Stats.millis(Stats.percentile(networkCpu, 50));
            double n99 = Stats.millis(Stats.percentile(networkCpu, 99));
            System.out.printf(Locale.ROOT, "  suggestion CPU p50 %.2f ms p99 %.2f ms; network gather CPU p50 %.2f ms "
                    + "p99 %.2f ms (%d calls each)%n", s50, s99, n50, n99, pairs.size());
            return List.of(new Row("CPU of one transfer suggestion (TransferSources.share + TransferRanking), "
                    + sites.size() + " locations x " + products.size() + " SKUs, " + pairs.size() + " (location, SKU) pairs",
                    String.format(Locale.ROOT, "thread CPU p50 %.2f ms, p99 %.2f ms", s50, s99),
                    String.format(Locale.ROOT, "network view's gather of the same SKU (NetworkReads.holdings): "
                            + "p50 %.2f ms, p99 %.2f ms", n50, n99),
                    s50 / n50, "ratio of the p50s; in-process, one instance owning all partitions, no HTTP; "
                            + considered + " sources within 300 km in the last call"));
        } finally {
            Utils.delete(ctx.workDir().resolve(applicationId).toFile());
        }
    }
}
