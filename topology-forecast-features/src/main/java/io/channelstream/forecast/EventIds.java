package io.channelstream.forecast;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Random (version 4) event ids for the records published per dealer × SKU, from a generator seeded once from
 * {@link SecureRandom}: {@link UUID#randomUUID()} draws every id from {@code SecureRandom} under its lock, a few
 * per cent of the stream thread at two ids per publication. The ids only need to be unique, not unguessable.
 * Not thread-safe: one per processor (each a single thread's).
 */
final class EventIds {

    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());

    String next() {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(most, least).toString();
    }
}
