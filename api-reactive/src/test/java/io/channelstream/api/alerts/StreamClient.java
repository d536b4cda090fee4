package io.channelstream.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.ObjectMapper;

/** A signed-in user's browser tab following {@code /api/alerts/stream}: records every event it receives. */
final class StreamClient implements AutoCloseable {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() { };

    private final List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
    private final ObjectMapper json;
    private final Disposable connection;
    private volatile boolean ended;

    private StreamClient(int port, String token, String lastEventId, ObjectMapper json) {
        this.json = json;
        this.connection = WebClient.create("http://localhost:" + port)
                .get().uri("/api/alerts/stream")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(h -> {
                    h.setBearerAuth(token);
                    if (lastEventId != null) {
                        h.set(AlertsController.LAST_EVENT_ID, lastEventId);
                    }
                })
                .retrieve()
                .bodyToFlux(SSE)
                .doFinally(signal -> ended = true)
                .subscribe(events::add, error -> { });
    }

    static StreamClient connect(int port, String token, ObjectMapper json) {
        return connect(port, token, null, json);
    }

    /** Connects and waits until the server says it is listening. */
    static StreamClient connect(int port, String token, String lastEventId, ObjectMapper json) {
        StreamClient client = new StreamClient(port, token, lastEventId, json);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> client.events.stream().anyMatch(event -> "ready".equals(event.event())));
        return client;
    }

    /** Alerts received so far, in arrival order. */
    List<AlertView> alerts() {
        return events.stream()
                .filter(event -> "alert".equals(event.event()))
                .map(event -> {
                    AlertView alert = json.readValue(event.data(), AlertView.class);
                    assertThat(event.id()).isEqualTo(Long.toString(alert.sequence()));
                    return alert;
                })
                .toList();
    }

    /** Waits until an alert matching {@code wanted} arrives; returns every alert received up to then. */
    List<AlertView> awaitAlert(Predicate<AlertView> wanted) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> alerts().stream().anyMatch(wanted));
        List<AlertView> all = alerts();
        int until = 0;
        while (!wanted.test(all.get(until))) {
            until++;
        }
        return all.subList(0, until + 1);
    }

    List<ServerSentEvent<String>> events() {
        return List.copyOf(events);
    }

    boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        connection.dispose();
    }
}
