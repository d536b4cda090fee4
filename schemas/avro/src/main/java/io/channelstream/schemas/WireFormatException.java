package io.channelstream.schemas;

import java.util.OptionalInt;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that cannot be turned into an event. The {@link Reason} is what a dead-letter handler records;
 * all three are properties of the record, so retrying it will not help.
 */
public class WireFormatException extends SerializationException {

    public enum Reason {
        /** Not magic byte 0 followed by a 4-byte schema id (e.g. plain JSON, or too short). */
        NOT_WIRE_FORMAT,
        /** The registry has no schema with the id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The Avro body does not decode with the writer schema, or cannot be resolved to the reader's. */
        UNREADABLE_AVRO
    }

    private final Reason reason;
    private final String topic;
    private final Integer schemaId;

    public WireFormatException(Reason reason, String topic, Integer schemaId, String detail, Throwable cause) {
        super("topic '" + topic + "', schema id " + (schemaId == null ? "none" : schemaId) + ": " + reason + ": "
                + detail, cause);
        this.reason = reason;
        this.topic = topic;
        this.schemaId = schemaId;
    }

    public Reason reason() {
        return reason;
    }

    public String topic() {
        return topic;
    }

    /** The id read from the header; empty when the bytes carried none. */
    public OptionalInt schemaId() {
        return schemaId == null ? OptionalInt.empty() : OptionalInt.of(schemaId);
    }
}
