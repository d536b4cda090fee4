package io.channelstream.simulator;

import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * A copy of an event with another event time. Live traffic is generated like history and then stamped
 * with the wall clock as it is published; the generated record itself is never changed.
 */
public final class Retime {

    private Retime() {
    }

    @SuppressWarnings("unchecked")
    public static <V extends SpecificRecord> V at(V event, Instant occurredAt) {
        Schema schema = event.getSchema();
        V copy = (V) SpecificData.getForSchema(schema).deepCopy(schema, event);
        copy.put(schema.getField("occurredAt").pos(), occurredAt);
        return copy;
    }

    public static SimEvent at(SimEvent event, Instant occurredAt) {
        return new SimEvent(event.topic(), event.key(), at(event.value(), occurredAt));
    }
}
