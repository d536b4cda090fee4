package io.channelstream.api.health;

import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Kafka is up when the cluster answers a describe with at least one broker, within a bound. */
@Component("kafka")
public class KafkaHealthIndicator implements ReactiveHealthIndicator {

    private final Admin admin;

    public KafkaHealthIndicator(Admin admin) {
        this.admin = admin;
    }

    @Override
    public Mono<Health> health() {
        DescribeClusterResult cluster = admin.describeCluster();
        return Mono.zip(
                        Mono.fromCompletionStage(cluster.clusterId().toCompletionStage()),
                        Mono.fromCompletionStage(cluster.nodes().toCompletionStage()))
                .timeout(Duration.ofSeconds(3))
                .map(described -> (described.getT2().isEmpty() ? Health.down() : Health.up())
                        .withDetail("clusterId", described.getT1())
                        .withDetail("brokers", described.getT2().size())
                        .build())
                .onErrorResume(error -> Mono.just(Health.down(error).build()));
    }
}
