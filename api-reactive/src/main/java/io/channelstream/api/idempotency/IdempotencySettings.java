package io.channelstream.api.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retry-safe POST commands ({@code channelstream.idempotency.*}).
 *
 * @param ttl          how long a completed command's answer is kept for replay
 * @param inFlightTtl  how long a key stays claimed by a request still running; bounds the wait after a
 *                     crash mid-request, so it must exceed the slowest command
 * @param maxKeyLength longest accepted {@code Idempotency-Key}
 * @param maxBodyBytes largest command body fingerprinted (larger bodies are refused with 413)
 * @param keyPrefix    prefix of the Redis keys
 */
@ConfigurationProperties("channelstream.idempotency")
public record IdempotencySettings(
        @DefaultValue("PT24H") Duration ttl,
        @DefaultValue("PT1M") Duration inFlightTtl,
        @DefaultValue("255") int maxKeyLength,
        @DefaultValue("1048576") int maxBodyBytes,
        @DefaultValue("cs:idempotency:") String keyPrefix) {}
