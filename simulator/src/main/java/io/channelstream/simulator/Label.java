package io.channelstream.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One injected anomaly or look-alike, as written to {@code labels.jsonl}.
 *
 * @param labelId    stable id ({@code <eventIdPrefix>-L<n>})
 * @param kind       what was injected
 * @param keys       the matching keys: trace codes (item, case), order ids, transfer ids, event ids. An alert
 *                   answers this label when its type is one of {@code kind.alertTypes()} and it names at least
 *                   one of these keys (see {@link AlertKeys})
 * @param occurredAt event time of the first fact of the anomaly (simulated time)
 * @param details    human-readable facts (dealer, regions, distance, prices), with units in the key names
 */
public record Label(String labelId, AnomalyKind kind, List<String> keys, Instant occurredAt,
                    Map<String, String> details) {

    public Label {
        keys = List.copyOf(keys);
        details = Map.copyOf(details);
    }
}
