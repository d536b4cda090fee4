package io.channelstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/** Confluent's wire format: magic byte 0, 4-byte big-endian schema id, then Avro binary. */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_LENGTH = 5;

    private static final String JAVA_STRING_PROPERTY = "avro.java.string";
    private static final ObjectMapper JSON = new ObjectMapper();

    private WireFormat() {
    }

    /** TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /**
     * The schema as the contract states it, without the {@code avro.java.string} hints the Java generator adds:
     * the registry then holds the same text (and id) whichever language registers the contract first.
     */
    static Schema withoutJavaHints(Schema schema) {
        try {
            JsonNode tree = JSON.readTree(schema.toString());
            stripJavaHints(tree);
            return new Schema.Parser().parse(JSON.writeValueAsString(tree));
        } catch (IOException e) {
            throw new UncheckedIOException("could not re-read schema " + schema.getFullName(), e);
        }
    }

    private static void stripJavaHints(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(JAVA_STRING_PROPERTY);
            object.properties().forEach(field -> {
                if (!"default".equals(field.getKey())) { // default values are data, not schema
                    stripJavaHints(field.getValue());
                }
            });
        } else if (node.isArray()) {
            node.forEach(WireFormat::stripJavaHints);
        }
    }
}
