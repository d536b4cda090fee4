package io.channelstream.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.Severity;
import io.channelstream.infra.Infrastructure;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.InProcessSchemaRegistryClient;
import io.channelstream.schemas.Topic;
import io.channelstream.schemas.TopicDefinition;
import io.channelstream.schemas.CleanupPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * Reactor Kafka 1.3.25 was never declared compatible with kafka-clients 4.x: this proves, on the
 * real broker and the client version in use, that the port sends and receives, in order per key,
 * with the Confluent wire format on both sides.
 */
class ReactorKafkaEventBusTest {

    /** A topic of its own: the shared broker's alerts topic carries other tests' events and schema ids. */
    private static final Topic<Alert> TOPIC = new Topic<>("reactor-port-test-alerts", Alert.class, Alert.SCHEMA$,
            "conditionKey", 3, CleanupPolicy.DELETE, Duration.ofHours(1));

    @BeforeAll
    static void topicExists() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(((TopicDefinition) TOPIC).toNewTopic((short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    @Test
    void publishedEventsAreReceivedInOrderPerKey() {
        EventSerdes serdes = new EventSerdes(new InProcessSchemaRegistryClient(), true);
        String condition = "test-condition-" + UUID.randomUUID();
        try (ReactorKafkaEventBus bus = new ReactorKafkaEventBus(bootstrap(), serdes)) {
            List<EventPublisher.PublishedEvent> published = Flux.range(0, 20)
                    .concatMap(i -> bus.publish(TOPIC, condition, alert(condition, i)))
                    .collectList()
                    .block(Duration.ofSeconds(30));
            assertThat(published).hasSize(20);
            assertThat(published).extracting(EventPublisher.PublishedEvent::partition).containsOnly(
                    published.get(0).partition());

            List<String> summaries = bus.subscribe(TOPIC, "test-" + UUID.randomUUID())
                    .filter(event -> condition.equals(event.key()))
                    .doOnNext(EventSubscriber.ReceivedEvent::acknowledge)
                    .map(event -> event.value().getSummary())
                    .take(20)
                    .collectList()
                    .block(Duration.ofSeconds(60));

            assertThat(summaries).containsExactlyElementsOf(
                    Flux.range(0, 20).map(i -> "alert " + i).collectList().block());
        }
    }

    private static Alert alert(String condition, int i) {
        return Alert.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource("test")
                .setAlertType(AlertType.BELOW_SAFETY_STOCK)
                .setSeverity(Severity.WARNING)
                .setStatus(AlertStatus.RAISED)
                .setConditionKey(condition)
                .setRegionCode("440106")
                .setSummary("alert " + i)
                .setEvidence(Map.of("i", Integer.toString(i)))
                .build();
    }

    private static String bootstrap() {
        return Infrastructure.shared().kafka().bootstrapServers();
    }
}
