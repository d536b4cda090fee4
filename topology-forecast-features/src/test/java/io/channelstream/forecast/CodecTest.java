package io.channelstream.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Codec's own byte streams write what DataOutputStream over a ByteArrayOutputStream wrote, and read it back. */
class CodecTest {

    @Test
    void aWeekTallysBytesAreThoseOfTheJdkStreamsAndReadBack() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            long[] ordered = new long[7];
            long[] sold = new long[7];
            for (int day = 0; day < 7; day++) {
                ordered[day] = random.nextLong() >> random.nextInt(64);
                sold[day] = random.nextLong() >> random.nextInt(64);
            }
            WeekTally tally = new WeekTally(random.nextLong(), random.nextLong() >> 20, random.nextInt(1000), 0,
                    random.nextLong() >> random.nextInt(64), ordered, sold, random.nextLong());
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(expected)) {
                out.writeByte(2);
                for (long value : new long[] {tally.orderedUnits(), tally.orderedRevenueFen(),
                        tally.promoOrderedUnits(), tally.soldUnits(), tally.soldRevenueFen()}) {
                    Codec.writeVarLong(out, value);
                }
                for (int day = 0; day < 7; day++) {
                    Codec.writeVarLong(out, ordered[day]);
                    Codec.writeVarLong(out, sold[day]);
                }
                Codec.writeVarLong(out, tally.newestOccurredAtMillis());
            }
            byte[] bytes = WeekTally.CODEC.serializer().serialize("t", tally);
            assertArrayEquals(expected.toByteArray(), bytes);
            WeekTally read = WeekTally.CODEC.deserializer().deserialize("t", bytes);
            assertEquals(tally.orderedUnits(), read.orderedUnits());
            assertEquals(tally.soldRevenueFen(), read.soldRevenueFen());
            assertArrayEquals(ordered, read.orderedUnitsByDay());
            assertArrayEquals(sold, read.soldUnitsByDay());
            assertEquals(tally.newestOccurredAtMillis(), read.newestOccurredAtMillis());
        }
    }

    @Test
    void stringsOfARegionRecordReadBackThroughTheOwnStream() {
        // readUTF reads through read(byte[], int, int): a record with several strings, Chinese included
        Signal.ForRegion region = new Signal.ForRegion(1_700_000_000_000L, java.util.List.of(
                new Signal.RegionalLine("湿巾-80", 3, 12_345),
                new Signal.RegionalLine("SKU-" + "x".repeat(500), -4, 0)));
        byte[] bytes = SignalSerdes.FOR_REGION.serializer().serialize("t", region);
        assertEquals(region, SignalSerdes.FOR_REGION.deserializer().deserialize("t", bytes));
    }
}
