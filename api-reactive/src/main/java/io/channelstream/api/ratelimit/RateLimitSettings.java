package io.channelstream.api.ratelimit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Rate limits kept in Redis, so they hold across every API instance ({@code channelstream.rate-limits.*}).
 *
 * @param publicRequests  requests one client address may make to the anonymous endpoints per {@code publicWindow}
 * @param partnerRequests requests one partner system (its {@code partner_id}) may make per {@code partnerWindow}
 * @param flushInterval   how often this instance sends what it counted to Redis and learns the shared counts
 *                        ({@link SharedWindowCounts})
 */
@ConfigurationProperties("channelstream.rate-limits")
public record RateLimitSettings(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("20") int publicRequests,
        @DefaultValue("PT1S") Duration publicWindow,
        @DefaultValue("100") int partnerRequests,
        @DefaultValue("PT1S") Duration partnerWindow,
        @DefaultValue("cs:ratelimit:") String keyPrefix,
        @DefaultValue("PT0.1S") Duration flushInterval) {}
