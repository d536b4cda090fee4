package io.channelstream.inventory;

import io.channelstream.events.Alert;
import io.channelstream.events.InventoryPosition;
import io.channelstream.events.OrderReservation;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * What the ledger's processors publish goes to the topic of its type, written with that topic's own serde: a
 * position to {@code inventory-positions}, an alert to {@code alerts}, an order's outcome to
 * {@code order-reservations}. Each processor has one sink that picks the topic, rather than every processor's
 * output merged and split by type again: a position used to pass four merge nodes, the split and a cast before its
 * sink, each a processor node of its own on every record (about 6 % of the stream thread, docs/benchmarks.md).
 */
final class InventoryOutputs {

    /** The output topic of each record, by its type. */
    static final TopicNameExtractor<String, SpecificRecord> TOPIC_BY_TYPE = new TopicByType();

    private InventoryOutputs() {
    }

    /** How one processor's outputs are published: the topic of their type, with that topic's value serde. */
    static Produced<String, SpecificRecord> produced(EventSerdes serdes, String processorName) {
        return Produced.with(Serdes.String(), new ByType(serdes)).withName("publish-" + processorName);
    }

    /** The output topic of a record the ledger publishes; any other type is a bug in the topology. */
    static Topic<?> topicOf(SpecificRecord value) {
        if (value instanceof InventoryPosition) {
            return Topics.INVENTORY_POSITIONS;
        }
        if (value instanceof Alert) {
            return Topics.ALERTS;
        }
        if (value instanceof OrderReservation) {
            return Topics.ORDER_RESERVATIONS;
        }
        throw new IllegalArgumentException("the inventory topology publishes no "
                + (value == null ? "null" : value.getClass().getSimpleName()));
    }

    private static final class TopicByType implements TopicNameExtractor<String, SpecificRecord> {
        @Override
        public String extract(String key, SpecificRecord value, RecordContext recordContext) {
            return topicOf(value).name();
        }

        @Override
        public String toString() {
            return "topic by type: positions, alerts, order reservations";
        }
    }

    /** Writes each output with its topic's serializer (the serde is only ever used to write). */
    private static final class ByType implements Serde<SpecificRecord>, Serializer<SpecificRecord> {

        private final Serializer<InventoryPosition> positions;
        private final Serializer<Alert> alerts;
        private final Serializer<OrderReservation> reservations;

        ByType(EventSerdes serdes) {
            this.positions = serdes.value(Topics.INVENTORY_POSITIONS).serializer();
            this.alerts = serdes.value(Topics.ALERTS).serializer();
            this.reservations = serdes.value(Topics.ORDER_RESERVATIONS).serializer();
        }

        @Override
        public Serializer<SpecificRecord> serializer() {
            return this;
        }

        @Override
        public Deserializer<SpecificRecord> deserializer() {
            throw new UnsupportedOperationException("the inventory's outputs are read with their topics' own serdes");
        }

        @Override
        public byte[] serialize(String topic, SpecificRecord value) {
            return serialize(topic, null, value);
        }

        @Override
        public byte[] serialize(String topic, Headers headers, SpecificRecord value) {
            if (value instanceof InventoryPosition position) {
                return positions.serialize(topic, headers, position);
            }
            if (value instanceof Alert alert) {
                return alerts.serialize(topic, headers, alert);
            }
            if (value instanceof OrderReservation reservation) {
                return reservations.serialize(topic, headers, reservation);
            }
            throw new IllegalArgumentException("no serializer for " + topicOf(value)); // topicOf throws first
        }

        @Override
        public void configure(java.util.Map<String, ?> configs, boolean isKey) {
            // configured already: the topics' serdes come from EventSerdes
        }

        @Override
        public void close() {
            // the topics' serdes are shared (EventSerdes) and outlive this topology's sinks
        }
    }
}
