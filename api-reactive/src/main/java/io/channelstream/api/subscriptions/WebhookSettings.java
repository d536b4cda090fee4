package io.channelstream.api.subscriptions;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Partner subscriptions and webhook delivery ({@code channelstream.webhooks.*}).
 *
 * @param requireHttps           refuse plain-http webhook URLs (tests and local receivers turn this off)
 * @param allowedPrivateTargets  CIDR blocks a webhook may reach although they are loopback, link-local or
 *                               private (e.g. {@code 127.0.0.1/32} for a test's local receiver); empty in production
 * @param maxAttempts            attempts before an event is parked as a dead letter (a subscription may ask for fewer);
 *                               with the backoff below, 15 attempts span about 70 minutes
 * @param initialBackoffMillis   pause after the first failed attempt; doubles per attempt, with jitter
 * @param maxBackoffMillis       longest pause between two attempts
 * @param leaseMillis            how long a claimed delivery belongs to the instance that claimed it; after that (the
 *                               instance died mid-delivery) any instance may attempt it again. Must exceed
 *                               the request timeout
 * @param requestTimeoutMillis   a partner that has not answered by then counts as failed
 * @param pollMillis             how often each instance looks for due deliveries
 * @param claimBatchSize         deliveries claimed per look
 * @param outcomeBatchSize       attempt outcomes written back in one transaction, at most (while one batch is written,
 *                               the outcomes that arrive meanwhile make up the next)
 * @param concurrency            deliveries in flight per instance
 * @param perSubscriptionInFlight deliveries in flight per subscription, so a slow partner holds only this many slots
 * @param sweepMillis            how often parked heads of keys are promoted (a safety net; normally completion does it)
 * @param feedBatchSize          events a partner feed queues in the outbox in one transaction, at most
 * @param feedBatchWindowMillis  how long a partner feed waits to fill a batch
 * @param streamPollMillis       how often a partner's SSE stream reads new events
 * @param retentionDays          delivered and streamed events are kept this long (replay reaches back this far)
 */
@ConfigurationProperties("channelstream.webhooks")
public record WebhookSettings(
        @DefaultValue("true") boolean requireHttps,
        @DefaultValue List<String> allowedPrivateTargets,
        @DefaultValue("15") int maxAttempts,
        @DefaultValue("1000") long initialBackoffMillis,
        @DefaultValue("600000") long maxBackoffMillis,
        @DefaultValue("30000") long leaseMillis,
        @DefaultValue("10000") long requestTimeoutMillis,
        @DefaultValue("5000") int connectTimeoutMillis,
        @DefaultValue("200") long pollMillis,
        @DefaultValue("200") int claimBatchSize,
        @DefaultValue("500") int outcomeBatchSize,
        @DefaultValue("512") int concurrency,
        @DefaultValue("64") int perSubscriptionInFlight,
        @DefaultValue("30000") long sweepMillis,
        @DefaultValue("500") int feedBatchSize,
        @DefaultValue("10") long feedBatchWindowMillis,
        @DefaultValue("500") long streamPollMillis,
        @DefaultValue("7") int retentionDays) {}
