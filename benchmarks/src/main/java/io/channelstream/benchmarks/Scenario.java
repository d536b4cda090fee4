package io.channelstream.benchmarks;

import java.util.List;

/**
 * A measurement of the harness. Each prints its progress, bounds its own loops in count and time, and
 * returns table rows; later scenarios (diversion scans, forecast order lines, transfer suggestions, SSE fan-out)
 * are added by implementing this and listing them in {@link BenchmarkMain#scenarios}.
 */
public interface Scenario {

    String name();

    List<Row> run(BenchContext context) throws Exception;
}
