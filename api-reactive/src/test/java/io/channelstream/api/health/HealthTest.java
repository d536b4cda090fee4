package io.channelstream.api.health;

import io.channelstream.api.support.ApiIntegrationTest;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Health, anonymous, reports every backing part by name. */
class HealthTest extends ApiIntegrationTest {

    @Test
    void healthReportsKafkaStreamsPostgresAndRedisAllUp() {
        awaitInventoryRunning();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                web.get().uri("/actuator/health").exchange()
                        .expectStatus().isOk()
                        .expectBody()
                        .jsonPath("$.status").isEqualTo("UP")
                        .jsonPath("$.components.kafka.status").isEqualTo("UP")
                        .jsonPath("$.components.kafka.details.brokers").isEqualTo(1)
                        .jsonPath("$.components.kafkaStreams.status").isEqualTo("UP")
                        .jsonPath("$.components.kafkaStreams.details.inventory").isEqualTo("RUNNING")
                        .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                        .jsonPath("$.components.redis.status").isEqualTo("UP"));
    }
}
