package io.channelstream.inventory;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A {@link SaleRate} in the store and its changelog: a format byte, then a double and two longs. */
final class SaleRateSerde implements Serde<SaleRate> {

    static final byte FORMAT_V1 = 1;
    private static final int LENGTH_V1 = 1 + Double.BYTES + 2 * Long.BYTES;

    @Override
    public Serializer<SaleRate> serializer() {
        return (topic, rate) -> rate == null ? null : ByteBuffer.allocate(LENGTH_V1)
                .put(FORMAT_V1)
                .putDouble(rate.decayedUnits())
                .putLong(rate.lastSaleMillis())
                .putLong(rate.firstSaleMillis())
                .array();
    }

    @Override
    public Deserializer<SaleRate> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != LENGTH_V1 || bytes[0] != FORMAT_V1) {
                throw new SerializationException("not a sale rate of format " + FORMAT_V1 + " (" + bytes.length
                        + " bytes)");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            return new SaleRate(buffer.getDouble(), buffer.getLong(), buffer.getLong());
        };
    }
}
