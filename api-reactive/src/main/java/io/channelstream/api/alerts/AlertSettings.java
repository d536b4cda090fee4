package io.channelstream.api.alerts;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Alert inbox and live push ({@code channelstream.alerts.*}).
 *
 * @param inboxBatchSize         alerts written to the inbox in one transaction, at most
 * @param inboxBatchWindowMillis how long the consumer waits to fill a batch
 * @param retryBackoffMillis     first pause before the inbox consumer retries after a failure (doubles, capped at 30 s)
 * @param fanOutChannel          Redis pub/sub channel announcing "the inbox changed" to every API instance
 * @param safetyPollMillis       each instance also reads the inbox this often, in case an announcement was lost
 *                               (Redis pub/sub delivers at most once)
 * @param heartbeatMillis        comment line sent on an idle stream, so proxies keep it open
 * @param clientBufferEvents     alerts queued for one slow stream client before it is told to resync
 * @param readPageSize           inbox rows read per query (backlog on resume, live pump)
 * @param pumpMinIntervalMillis  the live pump's shortest pause between the starts of two reads
 * @param pumpMaxIntervalMillis  its longest pause: the most latency the pause adds to an alert
 * @param pumpWritesPerSecond    client writes the pump aims to stay under: after a read that wrote to n clients the
 *                               next waits n / this many seconds (within the two bounds above), so that under load
 *                               each client's write and flush carries the alerts of that pause
 * @param maxPageSize            largest page a list request may ask for
 */
@ConfigurationProperties("channelstream.alerts")
public record AlertSettings(
        @DefaultValue("500") int inboxBatchSize,
        @DefaultValue("20") long inboxBatchWindowMillis,
        @DefaultValue("500") long retryBackoffMillis,
        @DefaultValue("channelstream:alerts:changed") String fanOutChannel,
        @DefaultValue("2000") long safetyPollMillis,
        @DefaultValue("15000") long heartbeatMillis,
        @DefaultValue("256") int clientBufferEvents,
        @DefaultValue("500") int readPageSize,
        @DefaultValue("10") long pumpMinIntervalMillis,
        @DefaultValue("200") long pumpMaxIntervalMillis,
        @DefaultValue("25000") int pumpWritesPerSecond,
        @DefaultValue("200") int maxPageSize) {}
