package io.channelstream.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.events.Severity;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

/** Alerts from the topic land in the inbox once, are handled by the right people, and are listed within scope. */
class AlertInboxTest extends ApiIntegrationTest {

    @Autowired
    EventPublisher publisher;

    @Test
    void anAlertDeliveredTwiceIsStoredOnce() {
        String dealer = unique("D");
        Alert alert = TestAlerts.raised(unique("DIVERSION"), "440106").setDealerId(dealer).build();

        publish(alert);
        publish(alert); // the topology's producer retried, or the consumer was redelivered

        awaitAlert(alert.getEventId());
        // same condition key, so the same partition: once the marker is in, any duplicate would be too
        String marker = publishAfter(dealer, alert.getConditionKey());
        awaitAlert(marker);
        assertThat(listAs(dealerToken(dealer), "").items())
                .extracting(AlertView::alertId)
                .containsExactlyInAnyOrder(alert.getEventId(), marker);
    }

    @Test
    void aClearedConditionResolvesItsOpenAlert() {
        String condition = unique("BELOW_SAFETY_STOCK");
        Alert raised = TestAlerts.raised(condition, "440106").build();
        publish(raised);
        awaitAlert(raised.getEventId());

        publish(TestAlerts.cleared(condition, "440106"));

        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get(hqToken(), raised.getEventId()).state()).isEqualTo("RESOLVED"));
        AlertView resolved = get(hqToken(), raised.getEventId());
        assertThat(resolved.resolvedBy()).isEqualTo("system:test-topology");
        assertThat(resolved.resolution()).startsWith("CLEARED by event ");
        assertThat(resolved.resolvedAt()).isNotNull();
    }

    @Test
    void aManagerAcknowledgesThenResolvesAndTheInboxSaysWhoAndWhen() {
        Alert alert = TestAlerts.raised(unique("DIVERSION"), "440106").build();
        publish(alert);
        awaitAlert(alert.getEventId());
        String manager = tokens.issue(new Caller("manager-li", Role.REGIONAL_MANAGER, List.of("44"), null, null,
                List.of()));

        AlertView acknowledged = post(manager, "/api/alerts/{id}/acknowledge", alert.getEventId(), null, 200);
        assertThat(acknowledged.state()).isEqualTo("ACKNOWLEDGED");
        assertThat(acknowledged.acknowledgedBy()).isEqualTo("regional_manager:manager-li");
        assertThat(acknowledged.acknowledgedAt()).isNotNull();

        AlertView resolved = post(manager, "/api/alerts/{id}/resolve", alert.getEventId(),
                "{\"note\": \"stock recalled from the Shanghai store\"}", 200);
        assertThat(resolved.state()).isEqualTo("RESOLVED");
        assertThat(resolved.resolvedBy()).isEqualTo("regional_manager:manager-li");
        assertThat(resolved.resolution()).isEqualTo("MANUAL: stock recalled from the Shanghai store");
        assertThat(resolved.sequence()).isGreaterThan(acknowledged.sequence());

        web.post().uri("/api/alerts/{id}/acknowledge", alert.getEventId())
                .headers(h -> h.setBearerAuth(manager))
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("state")
                .jsonPath("$.fields[0].reason").value(reason -> assertThat((String) reason)
                        .contains("RESOLVED by regional_manager:manager-li"));
    }

    @Test
    void aManagerSeesAlertsInsideTheirRegionOnly() {
        Alert guangzhou = TestAlerts.raised(unique("DIVERSION"), "440106").build();
        Alert shanghai = TestAlerts.raised(unique("DIVERSION"), "310115").build();
        publish(guangzhou);
        publish(shanghai);
        awaitAlert(guangzhou.getEventId());
        awaitAlert(shanghai.getEventId());

        web.get().uri("/api/alerts/{id}", guangzhou.getEventId())
                .headers(h -> h.setBearerAuth(managerToken("44")))
                .exchange().expectStatus().isOk();
        web.get().uri("/api/alerts/{id}", shanghai.getEventId())
                .headers(h -> h.setBearerAuth(managerToken("44")))
                .exchange().expectStatus().isForbidden();
        List<String> listed = listAs(managerToken("4401"), "?region=440106&limit=200").items().stream()
                .map(AlertView::alertId).toList();
        assertThat(listed).contains(guangzhou.getEventId()).doesNotContain(shanghai.getEventId());
        assertThat(listAs(managerToken("4401"), "?limit=200").items())
                .allSatisfy(alert -> assertThat(alert.regionCode()).startsWith("4401"));
    }

    @Test
    void listingFiltersByTypeSeverityStateRegionAndTimeAndPagesThroughEverything() {
        String dealer = unique("D");
        Instant base = Instant.parse("2026-03-01T08:00:00Z");
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            alerts.add(TestAlerts.raised(unique("NEAR_EXPIRY"), i % 2 == 0 ? "440106" : "440305")
                    .setDealerId(dealer)
                    .setAlertType(i < 3 ? AlertType.NEAR_EXPIRY : AlertType.PRICE_BELOW_FLOOR)
                    .setSeverity(i == 4 ? Severity.CRITICAL : Severity.WARNING)
                    .setOccurredAt(base.plus(i, ChronoUnit.HOURS))
                    .build());
        }
        alerts.forEach(this::publish);
        alerts.forEach(alert -> awaitAlert(alert.getEventId()));
        String token = dealerToken(dealer);

        assertThat(ids(listAs(token, "?type=NEAR_EXPIRY"))).containsExactly(id(alerts, 2), id(alerts, 1), id(alerts, 0));
        assertThat(ids(listAs(token, "?severity=critical"))).containsExactly(id(alerts, 4));
        assertThat(ids(listAs(token, "?region=4403"))).containsExactly(id(alerts, 3), id(alerts, 1));
        assertThat(ids(listAs(token, "?from=2026-03-01T09:00:00Z&to=2026-03-01T11:00:00Z")))
                .containsExactly(id(alerts, 2), id(alerts, 1));
        assertThat(ids(listAs(token, "?state=RESOLVED"))).isEmpty();

        List<String> paged = new ArrayList<>();
        AlertPage page = listAs(token, "?limit=2");
        paged.addAll(ids(page));
        while (page.nextCursor() != null) {
            page = listAs(token, "?limit=2&cursor=" + page.nextCursor());
            paged.addAll(ids(page));
        }
        assertThat(paged).containsExactly(id(alerts, 4), id(alerts, 3), id(alerts, 2), id(alerts, 1), id(alerts, 0));
    }

    @Test
    void aBadFilterIsRefusedNamingTheParameter() {
        web.get().uri("/api/alerts?type=NOT_A_TYPE").headers(h -> h.setBearerAuth(hqToken()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("type");
        web.get().uri("/api/alerts?from=yesterday").headers(h -> h.setBearerAuth(hqToken()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("from");
        web.get().uri("/api/alerts?limit=5000").headers(h -> h.setBearerAuth(hqToken()))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("limit");
    }

    // --- role boundaries ---

    @Test
    void aManagerFilteringByARegionOutsideTheirsGets403() {
        web.get().uri("/api/alerts?region=31").headers(h -> h.setBearerAuth(managerToken("44")))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void aDealerReadingAnotherDealersAlertGets403() {
        Alert alert = TestAlerts.raised(unique("PRICE"), "440106").setDealerId("D-OTHER").build();
        publish(alert);
        awaitAlert(alert.getEventId());
        web.get().uri("/api/alerts/{id}", alert.getEventId()).headers(h -> h.setBearerAuth(dealerToken("D-MINE")))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void aPartnerSystemMayReadButNotHandleAlerts() {
        Alert alert = TestAlerts.raised(unique("DIVERSION"), "440106").build();
        publish(alert);
        awaitAlert(alert.getEventId());
        String partner = tokens.issue(new Caller("wms", Role.PARTNER, List.of("44"), null, "P-WMS", List.of()));

        web.get().uri("/api/alerts/{id}", alert.getEventId()).headers(h -> h.setBearerAuth(partner))
                .exchange().expectStatus().isOk();
        web.post().uri("/api/alerts/{id}/acknowledge", alert.getEventId()).headers(h -> h.setBearerAuth(partner))
                .exchange().expectStatus().isForbidden();
        web.post().uri("/api/alerts/{id}/resolve", alert.getEventId()).headers(h -> h.setBearerAuth(partner))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void aManagerCannotHandleAnotherRegionsAlert() {
        Alert alert = TestAlerts.raised(unique("DIVERSION"), "310115").build();
        publish(alert);
        awaitAlert(alert.getEventId());
        web.post().uri("/api/alerts/{id}/acknowledge", alert.getEventId())
                .headers(h -> h.setBearerAuth(managerToken("44")))
                .exchange().expectStatus().isForbidden();
        assertThat(get(hqToken(), alert.getEventId()).state()).isEqualTo("OPEN");
    }

    @Test
    void theInboxNeedsAToken() {
        web.get().uri("/api/alerts").exchange().expectStatus().isUnauthorized();
    }

    // --- helpers ---

    private void publish(Alert alert) {
        publisher.publish(Topics.ALERTS, alert.getConditionKey(), alert).block(Duration.ofSeconds(30));
    }

    private String publishAfter(String dealer, String conditionKey) {
        Alert marker = TestAlerts.raised(conditionKey, "440106").setDealerId(dealer).build();
        publish(marker);
        return marker.getEventId();
    }

    private void awaitAlert(String alertId) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> web.get().uri("/api/alerts/{id}", alertId)
                .headers(h -> h.setBearerAuth(hqToken()))
                .exchange().returnResult(String.class).getStatus().value() == 200);
    }

    private AlertView get(String token, String alertId) {
        return web.get().uri("/api/alerts/{id}", alertId).headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk().expectBody(AlertView.class).returnResult().getResponseBody();
    }

    private AlertPage listAs(String token, String query) {
        return web.get().uri("/api/alerts" + query).headers(h -> h.setBearerAuth(token))
                .exchange().expectStatus().isOk().expectBody(AlertPage.class).returnResult().getResponseBody();
    }

    private AlertView post(String token, String uri, String alertId, String body, int status) {
        var request = web.post().uri(uri, alertId).headers(h -> h.setBearerAuth(token));
        var exchange = body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        return exchange.expectStatus().isEqualTo(status).expectBody(AlertView.class).returnResult().getResponseBody();
    }

    private static List<String> ids(AlertPage page) {
        return page.items().stream().map(AlertView::alertId).toList();
    }

    private static String id(List<Alert> alerts, int i) {
        return alerts.get(i).getEventId();
    }
}
