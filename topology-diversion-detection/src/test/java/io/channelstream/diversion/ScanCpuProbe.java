package io.channelstream.diversion;

import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import io.channelstream.simulator.SimEvent;
import io.channelstream.streams.StreamsSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire's default patterns leave it out): the thread CPU time per scan of the topology's judging, warm,
 * with no broker and no other thread in the figure, for comparing two builds on a shared machine where the harness's
 * wall-clock rates mostly measure the load. The simulator's three weeks at 5% scale (as {@code
 * SimulatedTrafficAccuracyTest}): master data, shipments and transfers first, then all its scans piped five times
 * (later rounds re-scan known codes: trails of up to ten sightings). Includes the driver's own cost per record (it
 * commits after each), so only differences between builds mean anything. Run:
 * {@code mvn -o -q -pl topology-diversion-detection -am test -Dtest=ScanCpuProbe -Dsurefire.failIfNoSpecifiedTests=false},
 * then read {@code target/surefire-reports/io.channelstream.diversion.ScanCpuProbe-output.txt}.
 */
class ScanCpuProbe {

    private static final int ROUNDS = 5;

    @Test
    void cpuPerScanThroughTheInMemoryTopology() throws Exception {
        var traffic = SimulatedTrafficReplay.generate(SimulatedTrafficReplay.config(42, 0.05, 3));
        EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        Properties props = StreamsSettings.local("scan-cpu-probe", "unused:9092",
                Files.createTempDirectory("scan-cpu-probe")).toProperties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE); // as the replay runs it
        props.putAll(DiversionTopology.streamsOverrides());
        Set<String> bindingFacts = Set.of(Topics.SHIPMENTS.name(), Topics.TRANSFERS.name(), Topics.LOCATIONS.name(),
                Topics.DEALERS.name(), Topics.REGIONAL_PRICES.name());
        List<SimEvent> scans = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                DiversionTopology.buildInMemory(DiversionConfig.defaults(), serdes), props)) {
            Map<String, TestInputTopic<String, SpecificRecord>> inputs = new HashMap<>();
            for (SimEvent event : traffic.events()) {
                if (event.topic() == Topics.SCANS) {
                    scans.add(event);
                } else if (bindingFacts.contains(event.topic().name())) {
                    inputs.computeIfAbsent(event.topic().name(), name -> input(driver, serdes, event.topic()))
                            .pipeInput(event.key(), event.value(), event.occurredAt());
                }
            }
            TestInputTopic<String, SpecificRecord> scanInput = input(driver, serdes, Topics.SCANS);
            System.out.printf("scan CPU probe: %d scans a round%n", scans.size());
            for (int round = 0; round < ROUNDS; round++) {
                long cpuBeforeNanos = threads.getCurrentThreadCpuTime();
                for (SimEvent scan : scans) {
                    scanInput.pipeInput(scan.key(), scan.value(), scan.occurredAt());
                }
                long cpuNanos = threads.getCurrentThreadCpuTime() - cpuBeforeNanos;
                System.out.printf("scan CPU probe: round %d: %.1f µs of thread CPU per scan%n", round,
                        cpuNanos / 1e3 / scans.size());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static TestInputTopic<String, SpecificRecord> input(TopologyTestDriver driver, EventSerdes serdes,
                                                                Topic<?> topic) {
        Topic<SpecificRecord> typed = (Topic<SpecificRecord>) topic;
        return driver.createInputTopic(typed.name(), Serdes.String().serializer(), serdes.value(typed).serializer());
    }
}
