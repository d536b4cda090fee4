package io.channelstream.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.events.Alert;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import reactor.core.publisher.Flux;
import tools.jackson.databind.ObjectMapper;

/** Alerts pushed live to the signed-in people who may see them, and nothing lost across a reconnect. */
class AlertStreamTest extends ApiIntegrationTest {

    @Autowired
    EventPublisher publisher;

    @Autowired
    ObjectMapper json;

    @Autowired
    AlertStreamHub hub;

    @Autowired
    AlertSettings settings;

    @LocalServerPort
    int port;

    @Test
    void theGuangdongManagerGetsAGuangzhouAlertLiveAndTheShanghaiManagerDoesNot() {
        try (StreamClient guangdong = StreamClient.connect(port, managerToken("44"), json);
             StreamClient shanghai = StreamClient.connect(port, managerToken("31"), json)) {
            Alert inGuangzhou = TestAlerts.raised(unique("DIVERSION"), "440106").build();
            publish(inGuangzhou);
            guangdong.awaitAlert(alert -> alert.alertId().equals(inGuangzhou.getEventId()));

            // published after the Guangzhou alert reached the inbox, so it comes later in every stream
            Alert inShanghai = TestAlerts.raised(unique("DIVERSION"), "310115").build();
            publish(inShanghai);
            List<AlertView> shanghaiSaw = shanghai.awaitAlert(alert -> alert.alertId().equals(inShanghai.getEventId()));

            assertThat(shanghaiSaw).extracting(AlertView::alertId).doesNotContain(inGuangzhou.getEventId());
            assertThat(shanghaiSaw).allSatisfy(alert -> assertThat(alert.regionCode()).startsWith("31"));
            assertThat(guangdong.alerts()).allSatisfy(alert -> assertThat(alert.regionCode()).startsWith("44"));
        }
    }

    @Test
    void aCityManagerGetsItsCitysAlertsOnlyAndAManagerOfAProvinceAndOneOfItsCitiesGetsEachOnce() {
        try (StreamClient guangzhou = StreamClient.connect(port, managerToken("4401"), json);
             StreamClient provinceAndCity = StreamClient.connect(port, managerToken("44", "4401"), json)) {
            Alert inShenzhen = TestAlerts.raised(unique("DIVERSION"), "440305").build();
            String condition = inShenzhen.getConditionKey();
            publish(inShenzhen);
            Alert inTianhe = TestAlerts.raised(condition, "440106").build(); // same partition, later
            publish(inTianhe);

            assertThat(guangzhou.awaitAlert(alert -> alert.alertId().equals(inTianhe.getEventId())))
                    .extracting(AlertView::alertId).doesNotContain(inShenzhen.getEventId());
            List<AlertView> both = provinceAndCity.awaitAlert(alert -> alert.alertId().equals(inTianhe.getEventId()));
            assertThat(both).extracting(AlertView::alertId)
                    .containsSubsequence(inShenzhen.getEventId(), inTianhe.getEventId())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void aDealersStreamCarriesItsOwnAlertsOnly() {
        String dealer = unique("D");
        try (StreamClient own = StreamClient.connect(port, dealerToken(dealer), json)) {
            Alert someoneElses = TestAlerts.raised(unique("PRICE"), "440106").setDealerId("D-OTHER").build();
            String condition = someoneElses.getConditionKey();
            publish(someoneElses);
            Alert mine = TestAlerts.raised(condition, "440106").setDealerId(dealer).build(); // same partition, later
            publish(mine);

            assertThat(own.awaitAlert(alert -> alert.alertId().equals(mine.getEventId())))
                    .extracting(AlertView::alertId).containsExactly(mine.getEventId());
        }
    }

    @Test
    void aReconnectingClientGetsWhatItMissedInOrderWithoutDuplicates() {
        String condition = unique("DIVERSION");
        Alert first = TestAlerts.raised(condition, "440106").build();
        long firstSequence;
        try (StreamClient before = StreamClient.connect(port, managerToken("44"), json)) {
            publish(first);
            List<AlertView> seen = before.awaitAlert(alert -> alert.alertId().equals(first.getEventId()));
            firstSequence = seen.get(seen.size() - 1).sequence();
        }
        String lastSeen = Long.toString(firstSequence);

        // while the tab is closed: two more alerts of the condition, and a colleague acknowledges the first
        Alert second = TestAlerts.raised(condition, "440106").build();
        Alert third = TestAlerts.raised(condition, "440106").build();
        publish(second);
        publish(third);
        awaitInInbox(third.getEventId());
        web.post().uri("/api/alerts/{id}/acknowledge", first.getEventId())
                .headers(h -> h.setBearerAuth(managerToken("44"))).exchange().expectStatus().isOk();

        try (StreamClient after = StreamClient.connect(port, managerToken("44"), lastSeen, json)) {
            Alert fourth = TestAlerts.raised(condition, "440106").build();
            publish(fourth);
            List<AlertView> received = after.awaitAlert(alert -> alert.alertId().equals(fourth.getEventId()));

            List<AlertView> mine = received.stream().filter(alert -> alert.conditionKey().equals(condition)).toList();
            assertThat(mine).extracting(AlertView::alertId).containsExactly(
                    second.getEventId(), third.getEventId(), first.getEventId(), fourth.getEventId());
            assertThat(mine.get(2).state()).isEqualTo("ACKNOWLEDGED");
            assertThat(received).extracting(AlertView::sequence).isSorted().doesNotHaveDuplicates()
                    .allSatisfy(sequence -> assertThat(sequence).isGreaterThan(firstSequence));
        }
    }

    @Test
    void twoApiInstancesBothPushEveryAlertAndEitherResumesTheOthersStream() throws Exception {
        try (var second = io.channelstream.api.support.SecondApiInstance.start()) {
            Caller manager = new Caller("manager", Role.REGIONAL_MANAGER, List.of("44"), null, null, List.of());
            String condition = unique("DIVERSION");
            Alert alert = TestAlerts.raised(condition, "440106").build();
            long seenOnFirst;
            try (StreamClient onFirst = StreamClient.connect(port, tokens.issue(manager), json);
                 StreamClient onSecond = StreamClient.connect(second.port(), second.token(manager), json)) {
                // several alerts, so both instances' inbox consumers (one group, partitions split) take part
                List<Alert> many = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    many.add(TestAlerts.raised(unique("DIVERSION"), "440106").build());
                }
                many.forEach(this::publish);
                publish(alert);
                Set<String> wanted = new java.util.HashSet<>(many.stream().map(Alert::getEventId).toList());
                wanted.add(alert.getEventId());

                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                        onFirst.alerts().stream().map(AlertView::alertId).toList().containsAll(wanted)
                                && onSecond.alerts().stream().map(AlertView::alertId).toList().containsAll(wanted));
                assertThat(onSecond.alerts()).extracting(AlertView::sequence).isSorted().doesNotHaveDuplicates();
                seenOnFirst = onFirst.alerts().stream().filter(a -> a.alertId().equals(alert.getEventId()))
                        .findFirst().orElseThrow().sequence();
            }

            Alert missed = TestAlerts.raised(condition, "440106").build();
            publish(missed);
            awaitInInbox(missed.getEventId());
            // the load balancer sends the reconnect to the other instance: change numbers are global
            try (StreamClient resumed = StreamClient.connect(second.port(), second.token(manager),
                    Long.toString(seenOnFirst), json)) {
                List<AlertView> received = resumed.awaitAlert(a -> a.alertId().equals(missed.getEventId()));
                assertThat(received).extracting(AlertView::alertId).doesNotContain(alert.getEventId());
            }
        }
    }

    @Test
    void anIdleStreamGetsHeartbeats() throws Exception {
        try (var second = io.channelstream.api.support.SecondApiInstance.start(
                "channelstream.alerts.heartbeat-millis=200")) {
            Caller hq = new Caller("hq", Role.HQ, List.of(), null, null, List.of());
            try (StreamClient idle = StreamClient.connect(second.port(), second.token(hq), json)) {
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> idle.events().stream()
                        .filter(event -> "heartbeat".equals(event.comment())).count() >= 2);
            }
        }
    }

    @Test
    void aClientThatFallsBehindIsToldToResyncAndResumesWithoutLoss() {
        Caller hq = new Caller("hq-slow", Role.HQ, List.of(), null, null, List.of());
        AlertStreamHub.Listener slow = hub.register(hq); // connected, but not reading
        try {
            String condition = unique("BELOW_SAFETY_STOCK");
            List<Alert> burst = new ArrayList<>();
            for (int i = 0; i < settings.clientBufferEvents() + 20; i++) {
                burst.add(TestAlerts.raised(condition, "440106").build());
            }
            Flux.fromIterable(burst)
                    .flatMap(alert -> publisher.publish(Topics.ALERTS, condition, alert), 64)
                    .blockLast(Duration.ofSeconds(60));
            Alert marker = TestAlerts.raised(condition, "440106").build(); // after the whole burst on its partition
            publish(marker);
            burst.add(marker);
            awaitInInbox(marker.getEventId());
            long markerSequence = web.get().uri("/api/alerts/{id}", marker.getEventId())
                    .headers(h -> h.setBearerAuth(hqToken())).exchange()
                    .expectBody(AlertView.class).returnResult().getResponseBody().sequence();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> hub.deliveredThrough() >= markerSequence);

            List<AlertView> got = new ArrayList<>();
            Throwable[] ended = new Throwable[1];
            slow.live().map(AlertChange::alert).subscribe(got::add, error -> ended[0] = error);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ended[0] != null);

            assertThat(ended[0]).isInstanceOf(AlertStreamHub.SlowListenerException.class);
            assertThat(got).hasSize(settings.clientBufferEvents());
            long resumeFrom = ((AlertStreamHub.SlowListenerException) ended[0]).lastQueued();
            assertThat(resumeFrom).isEqualTo(got.get(got.size() - 1).sequence());

            // the client reconnects from where its queue ended and catches up from the inbox
            try (StreamClient resumed = StreamClient.connect(port, tokens.issue(hq), Long.toString(resumeFrom), json)) {
                List<String> expected = burst.stream().map(Alert::getEventId).toList();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> resumed.alerts().stream()
                        .filter(alert -> expected.contains(alert.alertId())).count() + got.size() >= burst.size());
                List<AlertView> caughtUp = resumed.alerts();
                List<String> burstIds = burst.stream().map(Alert::getEventId).toList();
                List<AlertView> delivered = new ArrayList<>(got);
                delivered.addAll(caughtUp);
                assertThat(delivered).extracting(AlertView::sequence).isSorted().doesNotHaveDuplicates();
                assertThat(delivered).extracting(AlertView::alertId).filteredOn(burstIds::contains)
                        .containsExactlyInAnyOrderElementsOf(burstIds);
            }
        } finally {
            hub.unregister(slow);
        }
    }

    @Test
    void aGarbledLastEventIdIsRefused() {
        web.get().uri("/api/alerts/stream").headers(h -> {
                    h.setBearerAuth(hqToken());
                    h.set(AlertsController.LAST_EVENT_ID, "yesterday");
                })
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.fields[0].field").isEqualTo("Last-Event-ID");
    }

    @Test
    void theStreamNeedsAToken() {
        web.get().uri("/api/alerts/stream").exchange().expectStatus().isUnauthorized();
    }

    private void publish(Alert alert) {
        publisher.publish(Topics.ALERTS, alert.getConditionKey(), alert).block(Duration.ofSeconds(30));
    }

    private void awaitInInbox(String alertId) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> web.get().uri("/api/alerts/{id}", alertId)
                .headers(h -> h.setBearerAuth(hqToken()))
                .exchange().returnResult(String.class).getStatus().value() == 200);
    }
}
