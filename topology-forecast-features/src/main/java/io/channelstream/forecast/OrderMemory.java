package io.channelstream.forecast;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the topology remembers of a placed order until it is received, cancelled or presumed received:
 * enough to take it back out of the features on cancellation, out of the co-purchase counts, and out
 * of the dealer's in-transit units as receipts arrive.
 *
 * @param regionCode   region the order ships to, at the configured level
 * @param counted      false when the order arrived after its week closed (it was never counted)
 * @param lines        per SKU: units and revenue (lines of one SKU merged)
 * @param receivedUnits per SKU: units received so far against this order
 */
record OrderMemory(String dealerId, String regionCode, long occurredAtMillis, boolean promo, boolean counted,
                   Map<String, long[]> lines, Map<String, Long> receivedUnits) {

    long outstanding(String sku) {
        long[] line = lines.get(sku);
        return line == null ? 0 : Math.max(0, line[0] - receivedUnits.getOrDefault(sku, 0L));
    }

    boolean fullyReceived() {
        return lines.keySet().stream().allMatch(sku -> outstanding(sku) == 0);
    }

    OrderMemory receive(String sku, long units) {
        Map<String, Long> received = new LinkedHashMap<>(receivedUnits);
        received.merge(sku, units, Long::sum);
        return new OrderMemory(dealerId, regionCode, occurredAtMillis, promo, counted, lines, received);
    }

    /** Format 2: variable-length numbers; reads format 1 (fixed 8-byte longs) too. */
    static final Codec<OrderMemory> CODEC = new Codec<>(2, OrderMemory::write, OrderMemory::read);

    private static void write(DataOutputStream out, OrderMemory m) throws IOException {
        out.writeUTF(m.dealerId);
        out.writeUTF(m.regionCode);
        Codec.writeVarLong(out, m.occurredAtMillis);
        out.writeBoolean(m.promo);
        out.writeBoolean(m.counted);
        Codec.writeVarLong(out, m.lines.size());
        for (Map.Entry<String, long[]> line : m.lines.entrySet()) {
            out.writeUTF(line.getKey());
            Codec.writeVarLong(out, line.getValue()[0]);
            Codec.writeVarLong(out, line.getValue()[1]);
            Codec.writeVarLong(out, m.receivedUnits.getOrDefault(line.getKey(), 0L));
        }
    }

    private static OrderMemory read(DataInputStream in, int format) throws IOException {
        boolean fixed = format == 1;
        String dealer = in.readUTF();
        String region = in.readUTF();
        long occurredAt = fixed ? in.readLong() : Codec.readVarLong(in);
        boolean promo = in.readBoolean();
        boolean counted = in.readBoolean();
        int size = fixed ? in.readInt() : (int) Codec.readVarLong(in);
        Map<String, long[]> lines = new LinkedHashMap<>();
        Map<String, Long> received = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            String sku = in.readUTF();
            long units = fixed ? in.readLong() : Codec.readVarLong(in);
            long revenue = fixed ? in.readLong() : Codec.readVarLong(in);
            lines.put(sku, new long[] {units, revenue});
            long receivedUnits = fixed ? in.readLong() : Codec.readVarLong(in);
            if (receivedUnits != 0) {
                received.put(sku, receivedUnits);
            }
        }
        return new OrderMemory(dealer, region, occurredAt, promo, counted, lines, received);
    }
}
