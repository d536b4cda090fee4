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
 * @param pumpMinIntervalMillis  the live pump reads at most this often: alerts of one interval reach each client
 *                               in one write and flush (fewer, larger writes under load; this much latency at most)
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
        @DefaultValue("50") long pumpMinIntervalMillis,
        @DefaultValue("200") int maxPageSize) {}
