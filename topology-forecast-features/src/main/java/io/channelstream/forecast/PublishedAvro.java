package io.channelstream.forecast;

import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderSuggestion;
import io.channelstream.events.WeeklyDemand;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro binary of the two published records, {@link DemandFeatures} and {@link OrderSuggestion}, written by hand,
 * field by field in schema order: the generic writer (a walk over the schema, a conversion lookup per logical
 * field, a boxed value per field) was most of the ~20% of the stream thread the two encodings cost. The bytes are
 * the topics' wire format, unchanged: Confluent's header with the registered schema's id, then the record as Avro
 * binary of that schema (the tests compare them byte for byte with the generic writer's).
 *
 * <p>Two guards keep the topic's contract: the hand-written layout is used only while the generated class's schema
 * is the one it was written for (its parsing fingerprint, checked once), else every record goes through the
 * generic writer; and the header (magic byte and schema id) is taken from the generic writer's bytes of the first
 * record, which are published as they are. A schema change thus never yields bytes of another layout; it only
 * loses the speed, and the test that asserts the hand-written path is taken fails until the layout is updated.
 */
final class PublishedAvro {

    /**
     * Parsing fingerprints (CRC-64-AVRO of the canonical form) of the schemas the layouts below follow: those of
     * DemandFeatures.avsc and OrderSuggestion.avsc as of 2026-12-03 (v1 of each subject).
     */
    static final long DEMAND_FEATURES_FINGERPRINT = 4998705080226927081L;
    static final long ORDER_SUGGESTION_FINGERPRINT = 4819754706279858941L;

    private PublishedAvro() {
    }

    /** Writes a record's Avro body (no header). */
    interface BodyWriter<V> {
        void write(Bytes out, V value);
    }

    static Serializer<DemandFeatures> features(Serializer<DemandFeatures> generic, String topic, long expected) {
        return new HandWritten<>(generic, topic, DemandFeatures.getClassSchema(), expected, PublishedAvro::writeFeatures);
    }

    static Serializer<OrderSuggestion> suggestions(Serializer<OrderSuggestion> generic, String topic, long expected) {
        return new HandWritten<>(generic, topic, OrderSuggestion.getClassSchema(), expected,
                PublishedAvro::writeSuggestion);
    }

    static long fingerprintOf(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The serializer: generic for the first record (its header kept) and whenever the schema is not the expected. */
    static final class HandWritten<V extends SpecificRecord> implements Serializer<V> {
        private final Serializer<V> generic;
        private final String topic;
        private final boolean layoutMatches;
        private final BodyWriter<V> body;
        private final ThreadLocal<Bytes> scratch = ThreadLocal.withInitial(Bytes::new);
        private volatile byte[] header;

        HandWritten(Serializer<V> generic, String topic, Schema schema, long expectedFingerprint, BodyWriter<V> body) {
            this.generic = generic;
            this.topic = topic;
            this.layoutMatches = fingerprintOf(schema) == expectedFingerprint;
            this.body = body;
        }

        /** Whether records after the first are written by hand (the schema is the one the layout follows). */
        boolean handWritten() {
            return layoutMatches;
        }

        @Override
        public byte[] serialize(String ignoredTopic, V value) {
            if (value == null) {
                return null;
            }
            byte[] known = header;
            if (known == null || !layoutMatches) {
                byte[] bytes = generic.serialize(topic, value);
                if (known == null && bytes != null && bytes.length >= HEADER_LENGTH) {
                    header = Arrays.copyOf(bytes, HEADER_LENGTH);
                }
                return bytes;
            }
            Bytes out = scratch.get();
            out.reset();
            out.write(known, 0, HEADER_LENGTH);
            body.write(out, value);
            return out.toByteArray();
        }
    }

    /** Confluent's header: magic byte and 4-byte schema id. */
    private static final int HEADER_LENGTH = 5;

    static void writeFeatures(Bytes out, DemandFeatures f) {
        out.writeString(f.getEventId());
        out.writeLong(f.getOccurredAt().toEpochMilli());
        out.writeString(f.getSource());
        out.writeString(f.getDealerId());
        out.writeString(f.getSku());
        out.writeOptionalString(f.getCategory());
        out.writeLong(f.getAsOfWeekStart().toEpochDay());
        out.writeString(f.getDemandSignal());
        List<WeeklyDemand> weeks = Objects.requireNonNull(f.getWeeks(), "weeks");
        out.writeCount(weeks.size());
        for (WeeklyDemand week : weeks) {
            out.writeLong(week.getWeekStart().toEpochDay());
            out.writeLong(week.getUnits());
            out.writeLong(week.getRevenueFen());
            out.writeLong(week.getOrderedUnits());
            out.writeLong(week.getSoldUnits());
            out.writeBoolean(week.getPromo());
        }
        out.writeArrayEnd(weeks.size());
        out.writeLong(f.getCurrentWeekUnits());
        out.writeLong(f.getCurrentWeekRevenueFen());
        out.writeDouble(f.getMeanWeeklyUnits());
        out.writeDouble(f.getTrendUnitsPerWeek());
        out.writeDouble(f.getStdDevWeeklyUnits());
        out.writeOptionalDouble(f.getCoefficientOfVariation());
        out.writeDoubles(f.getDayOfWeekIndex());
        out.writeOptionalDouble(f.getPromoLift());
        out.writeLong(f.getPromoWeeks());
        out.writeOptionalDouble(f.getSeasonalityIndex());
    }

    static void writeSuggestion(Bytes out, OrderSuggestion s) {
        out.writeString(s.getEventId());
        out.writeLong(s.getOccurredAt().toEpochMilli());
        out.writeString(s.getSource());
        out.writeString(s.getDealerId());
        out.writeString(s.getSku());
        out.writeOptionalString(s.getCategory());
        out.writeLong(s.getSuggestedUnits());
        out.writeString(s.getMethod());
        out.writeLong(s.getForecastWeekStart().toEpochDay());
        out.writeDoubles(s.getForecastWeeklyUnits());
        out.writeDoubles(s.getSeasonalNaiveWeeklyUnits());
        out.writeLong(s.getLeadTimeDays());
        out.writeDouble(s.getExpectedDemandOverLeadTimeUnits());
        out.writeDouble(s.getSafetyStockFactor());
        out.writeDouble(s.getForecastErrorStdDevUnits());
        out.writeDouble(s.getSafetyStockUnits());
        out.writeLong(s.getAvailableUnits());
        out.writeLong(s.getInTransitUnits());
        out.writeDouble(s.getLevelUnitsPerWeek());
        out.writeDouble(s.getTrendUnitsPerWeek());
        out.writeDoubles(s.getSeasonalIndices());
        out.writeOptionalDouble(s.getPromoLift());
        out.writeLong(s.getHistoryWeeks());
        out.writeString(s.getExplanation());
    }

    /**
     * A growable byte buffer with Avro's binary primitives: int and long as zig-zag varints (an int's encoding is
     * its long's), doubles as 8 little-endian bytes of their raw bits, strings as a length and UTF-8, a union as
     * its branch's index and value, an array as one block (count, items) and a 0, or only the 0 when empty.
     */
    static final class Bytes {
        private byte[] buffer = new byte[1024];
        private int length;

        void reset() {
            length = 0;
            if (buffer.length > 1 << 20) {
                buffer = new byte[1024]; // a rare huge record does not pin its buffer to the thread
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, length);
        }

        void write(byte[] bytes, int offset, int count) {
            ensure(count);
            System.arraycopy(bytes, offset, buffer, length, count);
            length += count;
        }

        void writeLong(long value) {
            ensure(10);
            long zigZag = (value << 1) ^ (value >> 63);
            while ((zigZag & ~0x7FL) != 0) {
                buffer[length++] = (byte) ((zigZag & 0x7F) | 0x80);
                zigZag >>>= 7;
            }
            buffer[length++] = (byte) zigZag;
        }

        void writeBoolean(boolean value) {
            ensure(1);
            buffer[length++] = (byte) (value ? 1 : 0);
        }

        void writeDouble(double value) {
            ensure(8);
            long bits = Double.doubleToRawLongBits(value);
            for (int i = 0; i < 8; i++) {
                buffer[length++] = (byte) (bits >>> (8 * i));
            }
        }

        void writeString(String value) {
            Objects.requireNonNull(value, "a required string field is null");
            int chars = value.length();
            boolean ascii = true;
            for (int i = 0; i < chars && ascii; i++) {
                ascii = value.charAt(i) < 0x80;
            }
            if (ascii) {
                writeLong(chars);
                ensure(chars);
                for (int i = 0; i < chars; i++) {
                    buffer[length++] = (byte) value.charAt(i);
                }
            } else {
                byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                writeLong(utf8.length);
                write(utf8, 0, utf8.length);
            }
        }

        /** A ["null", "string"] union. */
        void writeOptionalString(String value) {
            if (value == null) {
                writeLong(0);
            } else {
                writeLong(1);
                writeString(value);
            }
        }

        /** A ["null", "double"] union. */
        void writeOptionalDouble(Double value) {
            if (value == null) {
                writeLong(0);
            } else {
                writeLong(1);
                writeDouble(value);
            }
        }

        /** The block count of an array, written only when it has items. */
        void writeCount(int items) {
            if (items > 0) {
                writeLong(items);
            }
        }

        void writeArrayEnd(int ignoredItems) {
            writeLong(0);
        }

        void writeDoubles(List<Double> values) {
            Objects.requireNonNull(values, "a required array field is null");
            int items = values.size();
            writeCount(items);
            for (Double value : values) {
                writeDouble(value);
            }
            writeArrayEnd(items);
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }
}
