package io.channelstream.api.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.api.support.SecondApiInstance;
import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.Severity;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.ObjectMapper;

/**
 * The instance delivering a webhook dies while the partner is still answering: the outbox in PostgreSQL
 * still holds the event, leased to the dead instance; once the lease runs out another instance delivers it.
 */
class DeliverySurvivesInstanceLossTest extends ApiIntegrationTest {

    private static final String SECRET = "partner-shared-secret-0123456789";

    @Autowired
    WebhookDispatcher dispatcher;

    @Autowired
    EventPublisher publisher;

    @Autowired
    ObjectMapper json;

    @Test
    void anInstanceThatDiesMidDeliveryLeavesTheEventToAnother() throws Exception {
        String partnerId = unique("tms");
        String partner = tokens.issue(new Caller("system-" + partnerId, Role.PARTNER, List.of("44"), null, partnerId,
                List.of()));
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET, json)) {
            receiver.mode(WebhookReceiver.Mode.HANG);
            web.post().uri("/api/subscriptions")
                    .headers(h -> h.setBearerAuth(partner))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("""
                            {"eventTypes": ["ALERTS"], "regionCodes": ["44"], "delivery": "WEBHOOK",
                             "webhookUrl": "%s", "secret": "%s"}""".formatted(receiver.url(), SECRET))
                    .exchange().expectStatus().isCreated();
            Alert alert = Alert.newBuilder()
                    .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setSource("test-topology")
                    .setAlertType(AlertType.DIVERSION).setSeverity(Severity.CRITICAL).setStatus(AlertStatus.RAISED)
                    .setConditionKey(unique("DIVERSION")).setRegionCode("440106").setSummary("diverted tin")
                    .setEvidence(Map.of()).build();

            dispatcher.stop(); // only the second instance delivers while it lives
            try {
                try (SecondApiInstance second = SecondApiInstance.start("channelstream.webhooks.lease-millis=3000")) {
                    publisher.publish(Topics.ALERTS, alert.getConditionKey(), alert).block(Duration.ofSeconds(30));
                    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> receiver.requests() >= 1);
                } // ...and dies with the partner's answer outstanding
                receiver.mode(WebhookReceiver.Mode.ACCEPT);
            } finally {
                dispatcher.start();
            }

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> receiver.received().stream()
                    .anyMatch(delivery -> delivery.eventId().equals(alert.getEventId())));
            WebhookReceiver.Received delivered = receiver.received().get(0);
            assertThat(delivered.eventId()).isEqualTo(alert.getEventId());
            assertThat(delivered.attempt()).isEqualTo(2); // the first died with its instance
            assertThat(delivered.signatureValid()).isTrue();
        }
    }
}
