package io.channelstream.benchmarks;

import io.channelstream.infra.EmbeddedKafka;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.simulator.World;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What scenarios share: the seed, the seed-scale world of the simulator, an in-process KRaft broker (in this
 * JVM), serdes over an in-process schema registry, a scratch directory, and the run's budget.
 *
 * @param repetitions  repetitions of each cheap measurement (medians are reported)
 * @param appJar       the application under test, started as its own process by the API scenario
 * @param streamsOverrides Kafka Streams settings laid over the project's own ({@code StreamsSettings}) for the
 *                     topology runs, to try a setting before proposing it (empty: the settings the app runs with)
 */
public record BenchContext(long seed, World world, EmbeddedKafka kafka, EventSerdes serdes, Path workDir,
                           int repetitions, Path appJar, Duration readDuration, Map<String, String> streamsOverrides) {

    static EventSerdes inProcessSerdes() {
        return new EventSerdes(new InProcessSchemaRegistryClient(), true);
    }
}
