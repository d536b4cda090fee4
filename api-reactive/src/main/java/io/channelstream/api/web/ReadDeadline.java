package io.channelstream.api.web;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A read by key that PostgreSQL must answer within {@link #DEADLINE}. Such a read takes milliseconds; one not
 * answered by then is taken as lost (a pooled connection whose answer never arrives, docs/foundation.md "R2DBC: a
 * connection that stops answering"): it is cancelled, which hands its connection back to the pool (whose validation
 * closes it when it no longer answers), and asked once more. A second miss fails with 503 and Retry-After, so a
 * caller waiting on it, or on a cache entry loading it, gets an answer instead of waiting forever.
 *
 * <p>For reads only, and only for a read that may simply run again (a cold {@code Mono}): a write is never repeated
 * on a guess.
 */
public final class ReadDeadline {

    public static final Duration DEADLINE = Duration.ofSeconds(8);
    static final Duration RETRY_AFTER = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(ReadDeadline.class);

    private ReadDeadline() {
    }

    /** {@code read} within the deadline, asked once more if it misses it; {@code what} names it in logs and errors. */
    public static <T> Mono<T> within(Mono<T> read, String what) {
        return within(read, what, DEADLINE);
    }

    static <T> Mono<T> within(Mono<T> read, String what, Duration deadline) {
        return read.timeout(deadline)
                .onErrorResume(TimeoutException.class, missed -> {
                    log.warn("{}: no answer from PostgreSQL within {} ms; asking once more", what, deadline.toMillis());
                    return read.timeout(deadline);
                })
                .onErrorMap(TimeoutException.class, missed -> new UnavailableException(
                        what + ": PostgreSQL gave no answer within " + deadline.toMillis() + " ms, twice", RETRY_AFTER));
    }
}
