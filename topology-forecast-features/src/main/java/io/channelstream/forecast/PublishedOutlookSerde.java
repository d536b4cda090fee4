package io.channelstream.forecast;

import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderSuggestion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The store value of a dealer × SKU's published outlook: its features and its suggestion in one record, each as
 * the bytes its topic gets ({@link EncodedOnce}: encoded once for store and topic). One store instead of two
 * halves what a publication costs the changelog: one record instead of two, one partition fewer per transaction
 * for each of the dealer step's tasks, one RocksDB write instead of two.
 *
 * <p>Format 1: a format byte, the length of the features' bytes (variable-length), the features' bytes, the
 * suggestion's bytes.
 */
final class PublishedOutlookSerde implements Serde<DealerSkuOutlook.Outlook> {

    private static final int FORMAT = 1;

    private final Serde<DemandFeatures> features;
    private final Serde<OrderSuggestion> suggestions;
    private final String featuresTopic;
    private final String suggestionsTopic;

    /**
     * @param features    the features topic's serde, the {@link EncodedOnce} its sink uses
     * @param suggestions the suggestions topic's serde, the {@link EncodedOnce} its sink uses
     */
    PublishedOutlookSerde(Serde<DemandFeatures> features, String featuresTopic, Serde<OrderSuggestion> suggestions,
                          String suggestionsTopic) {
        this.features = features;
        this.suggestions = suggestions;
        this.featuresTopic = featuresTopic;
        this.suggestionsTopic = suggestionsTopic;
    }

    @Override
    public Serializer<DealerSkuOutlook.Outlook> serializer() {
        Serializer<DemandFeatures> featuresOut = features.serializer();
        Serializer<OrderSuggestion> suggestionsOut = suggestions.serializer();
        return (topic, outlook) -> {
            if (outlook == null) {
                return null;
            }
            byte[] f = featuresOut.serialize(featuresTopic, outlook.features());
            byte[] s = suggestionsOut.serialize(suggestionsTopic, outlook.suggestion());
            // one array, written in place (a DataOutputStream over a ByteArrayOutputStream locks every byte)
            long zigZag = (long) f.length << 1; // Codec.writeVarLong's zig-zag varint of a non-negative length
            int lengthBytes = 1;
            for (long rest = zigZag >>> 7; rest != 0; rest >>>= 7) {
                lengthBytes++;
            }
            byte[] bytes = new byte[1 + lengthBytes + f.length + s.length];
            bytes[0] = FORMAT;
            int at = 1;
            while ((zigZag & ~0x7FL) != 0) {
                bytes[at++] = (byte) ((zigZag & 0x7F) | 0x80);
                zigZag >>>= 7;
            }
            bytes[at++] = (byte) zigZag;
            System.arraycopy(f, 0, bytes, at, f.length);
            System.arraycopy(s, 0, bytes, at + f.length, s.length);
            return bytes;
        };
    }

    @Override
    public Deserializer<DealerSkuOutlook.Outlook> deserializer() {
        Deserializer<DemandFeatures> featuresIn = features.deserializer();
        Deserializer<OrderSuggestion> suggestionsIn = suggestions.deserializer();
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            if (data[0] != FORMAT) {
                throw new IllegalStateException("unknown published-outlook format " + data[0] + " on " + topic);
            }
            ByteArrayInputStream in = new ByteArrayInputStream(data, 1, data.length - 1);
            int length;
            try {
                length = (int) Codec.readVarLong(new DataInputStream(in));
            } catch (IOException e) {
                throw new IllegalStateException("malformed published outlook on " + topic, e);
            }
            int at = data.length - in.available();
            DemandFeatures f = featuresIn.deserialize(featuresTopic, Arrays.copyOfRange(data, at, at + length));
            OrderSuggestion s = suggestionsIn.deserialize(suggestionsTopic,
                    Arrays.copyOfRange(data, at + length, data.length));
            return new DealerSkuOutlook.Outlook(f, s);
        };
    }
}
