package io.channelstream.schemas;

import java.util.List;
import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API the serdes need. Implementations throw
 * {@link SchemaRegistryException} (404 + {@code error_code} 40401/40403 when a subject or schema is unknown).
 * Calls may block on the network: call them from Kafka client threads or a bounded elastic scheduler, never a
 * reactive event loop.
 */
public interface SchemaRegistryClient {

    /** Registers the schema under the subject (or finds it already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The id of a schema already registered under the subject; never registers. */
    int idOf(String subject, Schema schema);

    /** The schema with this global id (a writer schema read off the wire). */
    Schema schemaById(int id);

    /** Whether the schema may follow the subject's latest version under the subject's compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    List<String> subjects();
}
