package io.channelstream.api.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.events.AlertType;
import io.channelstream.events.Severity;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import tools.jackson.databind.ObjectMapper;

/** A partner's systems get the events they subscribed to, signed, in order, and nothing is lost. */
class WebhookDeliveryTest extends ApiIntegrationTest {

    private static final String SECRET = "partner-shared-secret-0123456789";

    @Autowired
    EventPublisher publisher;

    @Autowired
    ObjectMapper json;

    @Autowired
    WebhookSettings settings;

    @Test
    void aPartnerReceivesSignedAlertsOfItsSubscribedRegionOnly() {
        String partner = partnerToken(unique("wms"), "44");
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET, json)) {
            subscribe(partner, receiver, List.of("4401"), null);

            String condition = unique("DIVERSION"); // one key: one partition, in this order
            Alert shanghai = alert(condition, "310115");
            Alert shenzhen = alert(condition, "440305");
            Alert guangzhou = alert(condition, "440106");
            Alert marker = alert(condition, "440104");
            List.of(shanghai, shenzhen, guangzhou, marker).forEach(this::publish);

            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> receivedIds(receiver).contains(marker.getEventId()));
            List<WebhookReceiver.Received> mine = receiver.received();
            assertThat(mine).extracting(WebhookReceiver.Received::eventId)
                    .containsExactly(guangzhou.getEventId(), marker.getEventId());
            assertThat(mine).allSatisfy(delivery -> {
                assertThat(delivery.signatureValid()).as("GS1-Signature verifies").isTrue();
                assertThat(delivery.idempotencyKey()).isEqualTo(delivery.eventId());
                assertThat(delivery.eventType()).isEqualTo("ALERTS");
                assertThat(delivery.key()).isEqualTo(condition);
            });
            assertThat(mine.get(0).data().get("regionCode").asString()).isEqualTo("440106");
            assertThat(mine.get(0).data().get("evidence").get("distanceKm").asString()).isEqualTo("1213");
        }
    }

    @Test
    void aReceiverDownThenUpGetsEverythingInOrderPerKey() {
        String partner = partnerToken(unique("erp"), "44");
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET, json)) {
            String subscription = subscribe(partner, receiver, List.of("44"), null);
            receiver.down();

            List<String> keys = List.of(unique("K1"), unique("K2"), unique("K3"));
            Map<String, List<String>> publishedPerKey = new LinkedHashMap<>();
            for (int i = 0; i < 5; i++) {
                for (String key : keys) {
                    Alert alert = alert(key, "440106");
                    publish(alert);
                    publishedPerKey.computeIfAbsent(key, k -> new ArrayList<>()).add(alert.getEventId());
                }
            }
            // the partner is down: its first events fail and wait for their next attempt
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> deliveries(partner, subscription, "PENDING")
                    .stream().anyMatch(pending -> pending.lastError() != null));

            receiver.up();

            Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> receivedIds(receiver)
                    .containsAll(publishedPerKey.values().stream().flatMap(List::stream).toList()));
            for (String key : keys) {
                List<String> arrived = receiver.received().stream()
                        .filter(delivery -> delivery.key().equals(key))
                        .map(WebhookReceiver.Received::eventId)
                        .distinct() // at least once: a duplicate may arrive, never out of order
                        .toList();
                assertThat(arrived).as("order of key " + key).containsExactlyElementsOf(publishedPerKey.get(key));
            }
            assertThat(receiver.received()).allSatisfy(delivery -> assertThat(delivery.signatureValid()).isTrue());
            assertThat(deliveries(partner, subscription, "PENDING")).isEmpty();
            assertThat(deliveries(partner, subscription, "DEAD")).isEmpty();
        }
    }

    @Test
    void aPausedSubscriptionKeepsQueuingAndDeliversEverythingInOrderOnceResumed() {
        String partner = partnerToken(unique("chain"), "44");
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET, json)) {
            String subscription = subscribe(partner, receiver, List.of("44"), null);
            web.post().uri("/api/subscriptions/{id}/activation", subscription)
                    .headers(h -> h.setBearerAuth(partner))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("active", false))
                    .exchange().expectStatus().isOk();

            String key = unique("PAUSED");
            List<String> published = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Alert alert = alert(key, "440106");
                publish(alert);
                published.add(alert.getEventId());
            }
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> deliveries(partner, subscription, "PENDING").size() == published.size());
            assertThat(receiver.received()).as("nothing is delivered while paused").isEmpty();

            web.post().uri("/api/subscriptions/{id}/activation", subscription)
                    .headers(h -> h.setBearerAuth(partner))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("active", true))
                    .exchange().expectStatus().isOk();

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds(receiver).containsAll(published));
            assertThat(receivedIds(receiver).stream().distinct().toList()).containsExactlyElementsOf(published);
        }
    }

    @Test
    void afterItsLastAttemptAnEventIsADeadLetterThePartnerSeesAndCanReplay() {
        String partner = partnerToken(unique("pos"), "44");
        try (WebhookReceiver receiver = WebhookReceiver.start(SECRET, json)) {
            receiver.mode(WebhookReceiver.Mode.FAIL);
            String subscription = subscribe(partner, receiver, List.of("44"), 2);
            Instant before = Instant.now().minusSeconds(60);
            Alert alert = alert(unique("PRICE"), "440106");
            publish(alert);

            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> !deliveries(partner, subscription, "DEAD").isEmpty());
            DeliveryView dead = deliveries(partner, subscription, "DEAD").get(0);
            assertThat(dead.eventId()).isEqualTo(alert.getEventId());
            assertThat(dead.attempts()).isEqualTo(2);
            assertThat(dead.lastError()).isEqualTo("HTTP 500");

            receiver.mode(WebhookReceiver.Mode.ACCEPT);
            web.post().uri("/api/subscriptions/{id}/replay", subscription)
                    .headers(h -> h.setBearerAuth(partner))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"from\": \"" + before + "\", \"deadLettersOnly\": true}")
                    .exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.requeued").isEqualTo(1);

            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> receivedIds(receiver).contains(alert.getEventId()));
            // the outcome is written after the partner's answer, in the next outcome batch
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> !deliveries(partner, subscription, "DELIVERED").isEmpty());
            assertThat(deliveries(partner, subscription, "DEAD")).isEmpty();
            assertThat(deliveries(partner, subscription, "DELIVERED")).extracting(DeliveryView::eventId)
                    .containsExactly(alert.getEventId());
        }
    }

    @Test
    void aPartnerThatNeverAnswersDelaysNoOtherPartner() {
        String slowPartner = partnerToken(unique("slow"), "44");
        String quickPartner = partnerToken(unique("quick"), "44");
        try (WebhookReceiver slow = WebhookReceiver.start(SECRET, json);
             WebhookReceiver quick = WebhookReceiver.start(SECRET, json)) {
            slow.mode(WebhookReceiver.Mode.HANG);
            subscribe(slowPartner, slow, List.of("44"), null);
            subscribe(quickPartner, quick, List.of("44"), null);

            List<String> published = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Alert alert = alert(unique("STOCK"), "440106"); // 20 keys: the slow partner could hold 20 slots
                publish(alert);
                published.add(alert.getEventId());
            }

            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> receivedIds(quick).containsAll(published));
            assertThat(slow.received()).isEmpty(); // still hanging on its first requests
            assertThat(slow.requests()).isPositive();
        }
    }

    @Test
    void aPartnerThatNeverAnswersHoldsNoMoreThanItsInFlightCap() {
        int cap = settings.perSubscriptionInFlight();
        String partner = partnerToken(unique("stalled"), "44");
        try (WebhookReceiver stalled = WebhookReceiver.start(SECRET, json)) {
            stalled.mode(WebhookReceiver.Mode.HANG);
            String subscription = subscribe(partner, stalled, List.of("44"), null);
            // queued while paused, then released at once: the cap, not the queueing, decides how many go out
            activate(partner, subscription, false);
            int queued = cap + 20;
            for (int i = 0; i < queued; i++) {
                publish(alert(unique("STALLED"), "440106")); // a key each: every one of them a due head
            }
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> deliveries(partner, subscription, "PENDING").size() == queued);
            activate(partner, subscription, true);

            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stalled.requests() >= cap);
            // nothing answers before the request timeout, so no slot comes free: however often the instance
            // claims meanwhile, the leased heads at the front of the subscription's queue keep it at the cap
            assertThat(settings.requestTimeoutMillis()).isGreaterThan(5000);
            Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                    .until(() -> stalled.requests() == cap);
        }
    }

    private void activate(String partnerToken, String subscription, boolean active) {
        web.post().uri("/api/subscriptions/{id}/activation", subscription)
                .headers(h -> h.setBearerAuth(partnerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("active", active))
                .exchange().expectStatus().isOk();
    }

    @Test
    void anSseSubscriptionStreamsItsEventsAndResumesFromLastEventId() {
        String partner = partnerToken(unique("bi"), "44");
        String subscription = web.post().uri("/api/subscriptions")
                .headers(h -> h.setBearerAuth(partner))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"eventTypes\": [\"ALERTS\"], \"regionCodes\": [\"44\"], \"delivery\": \"SSE\"}")
                .exchange().expectStatus().isCreated()
                .expectBody(Subscription.class).returnResult().getResponseBody().subscriptionId();
        String key = unique("SSE");
        List<Alert> alerts = List.of(alert(key, "440106"), alert(key, "440106"), alert(key, "440106"));
        alerts.forEach(this::publish);

        var type = new ParameterizedTypeReference<org.springframework.http.codec.ServerSentEvent<String>>() { };
        List<org.springframework.http.codec.ServerSentEvent<String>> firstTwo = web.get()
                .uri("/api/subscriptions/{id}/events", subscription)
                .headers(h -> h.setBearerAuth(partner))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk()
                .returnResult(type).getResponseBody().take(2).collectList().block(Duration.ofSeconds(60));
        List<org.springframework.http.codec.ServerSentEvent<String>> rest = web.get()
                .uri("/api/subscriptions/{id}/events", subscription)
                .headers(h -> {
                    h.setBearerAuth(partner);
                    h.set("Last-Event-ID", firstTwo.get(1).id());
                })
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isOk()
                .returnResult(type).getResponseBody().take(1).collectList().block(Duration.ofSeconds(60));

        List<String> streamed = new ArrayList<>();
        firstTwo.forEach(event -> streamed.add(json.readTree(event.data()).get("eventId").asString()));
        rest.forEach(event -> streamed.add(json.readTree(event.data()).get("eventId").asString()));
        assertThat(streamed).containsExactly(alerts.get(0).getEventId(), alerts.get(1).getEventId(),
                alerts.get(2).getEventId());
    }

    // --- helpers ---

    private String subscribe(String partnerToken, WebhookReceiver receiver, List<String> regions, Integer maxAttempts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventTypes", List.of("ALERTS"));
        body.put("regionCodes", regions);
        body.put("delivery", "WEBHOOK");
        body.put("webhookUrl", receiver.url());
        body.put("secret", SECRET);
        if (maxAttempts != null) {
            body.put("maxAttempts", maxAttempts);
        }
        Subscription created = web.post().uri("/api/subscriptions")
                .headers(h -> h.setBearerAuth(partnerToken))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().exists("Location")
                .expectBody(Subscription.class).returnResult().getResponseBody();
        assertThat(created.webhookUrl()).isEqualTo(receiver.url());
        return created.subscriptionId();
    }

    private List<DeliveryView> deliveries(String partnerToken, String subscription, String state) {
        return web.get().uri("/api/subscriptions/{id}/deliveries?state={s}", subscription, state)
                .headers(h -> h.setBearerAuth(partnerToken))
                .exchange().expectStatus().isOk()
                .expectBodyList(DeliveryView.class).returnResult().getResponseBody();
    }

    private static List<String> receivedIds(WebhookReceiver receiver) {
        return receiver.received().stream().map(WebhookReceiver.Received::eventId).toList();
    }

    private String partnerToken(String partnerId, String... regions) {
        return tokens.issue(new Caller("system-" + partnerId, Role.PARTNER, List.of(regions), null, partnerId,
                List.of()));
    }

    private void publish(Alert alert) {
        publisher.publish(Topics.ALERTS, alert.getConditionKey(), alert).block(Duration.ofSeconds(30));
    }

    private static Alert alert(String conditionKey, String regionCode) {
        return Alert.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource("test-topology")
                .setAlertType(AlertType.BELOW_SAFETY_STOCK)
                .setSeverity(Severity.WARNING)
                .setStatus(AlertStatus.RAISED)
                .setConditionKey(conditionKey)
                .setRegionCode(regionCode)
                .setSummary("stock below safety level")
                .setEvidence(Map.of("distanceKm", "1213"))
                .build();
    }
}
