package io.channelstream.api.kafka;

import io.channelstream.schemas.Topic;
import org.apache.avro.specific.SpecificRecord;
import reactor.core.publisher.Flux;

/** The API's one way to follow a topic reactively (alert push, partner feeds). */
public interface EventSubscriber {

    /**
     * Events of {@code topic} for consumer group {@code groupId}, from the group's committed
     * position (or the start, for a new group). Call {@link ReceivedEvent#acknowledge()} once an
     * event is handled; acknowledged offsets are committed in the background.
     */
    <V extends SpecificRecord> Flux<ReceivedEvent<V>> subscribe(Topic<V> topic, String groupId);

    record ReceivedEvent<V>(String key, V value, int partition, long offset, Runnable acknowledger) {
        public void acknowledge() {
            acknowledger.run();
        }
    }
}
