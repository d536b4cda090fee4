package io.channelstream.diversion;

import io.channelstream.schemas.AvroSerde;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The serde of the in-memory global stores, whose bytes never leave this JVM: the project's Avro serde
 * over a registry private to the store. The shared registry would be wrong there: Kafka Streams names a
 * global store's source topic as its "changelog", so the store's type would be registered under that
 * master-data topic's subject.
 */
final class LocalAvroSerde {

    private LocalAvroSerde() {
    }

    static <V extends SpecificRecord> Serde<V> of(Class<V> type) {
        return new AvroSerde<>(new InProcessSchemaRegistryClient(), type, true);
    }
}
