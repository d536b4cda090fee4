package io.channelstream.api.subscriptions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A partner's webhook endpoint on this machine. It checks every delivery's GS1-Signature the way a
 * partner would (its own HMAC-SHA256 over "t." + raw body, constant-time comparison) and records what
 * arrived. It can be taken down and brought back on the same port, made to fail, or made to hang.
 */
final class WebhookReceiver implements AutoCloseable {

    enum Mode { ACCEPT, FAIL, HANG }

    record Received(String eventId, String eventType, String key, JsonNode data, boolean signatureValid,
                    String idempotencyKey, int attempt) {}

    private final String secret;
    private final ObjectMapper json;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Mode mode = Mode.ACCEPT;
    /**
     * Its own event loop, as a partner's server would have: the application's instances in this JVM share
     * Reactor Netty's global loops and dispose them when they stop.
     */
    private final LoopResources loops = LoopResources.create("webhook-receiver", 1, true);
    private volatile DisposableServer server;
    private volatile int port;

    private WebhookReceiver(String secret, ObjectMapper json) {
        this.secret = secret;
        this.json = json;
    }

    static WebhookReceiver start(String secret, ObjectMapper json) {
        WebhookReceiver receiver = new WebhookReceiver(secret, json);
        receiver.bind(0);
        return receiver;
    }

    private void bind(int wantedPort) {
        server = HttpServer.create().runOn(loops).host("127.0.0.1").port(wantedPort)
                .route(routes -> routes.post("/hooks/channelstream", (request, response) -> request.receive()
                        .aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .flatMap(body -> {
                            requests.incrementAndGet();
                            if (mode == Mode.HANG) {
                                return Mono.never();
                            }
                            if (mode == Mode.FAIL) {
                                return response.status(500).send().then();
                            }
                            JsonNode envelope = json.readTree(body);
                            received.add(new Received(envelope.get("eventId").asString(),
                                    envelope.get("eventType").asString(), envelope.get("key").asString(),
                                    envelope.get("data"),
                                    verify(request.requestHeaders().get("GS1-Signature"), body),
                                    request.requestHeaders().get("Idempotency-Key"),
                                    Integer.parseInt(request.requestHeaders().get("X-Channelstream-Attempt"))));
                            return response.status(200).send().then();
                        })))
                .bindNow(Duration.ofSeconds(10));
        port = server.port();
    }

    /** {@code t=<seconds>,hmac-sha256=<Base64>} over {@code "<t>." + body}. */
    private boolean verify(String header, String body) {
        if (header == null) {
            return false;
        }
        String timestamp = null;
        String signature = null;
        for (String part : header.split(",")) {
            String[] pair = part.strip().split("=", 2);
            if (pair[0].equals("t")) {
                timestamp = pair[1];
            } else if (pair[0].equals("hmac-sha256")) {
                signature = pair[1];
            }
        }
        if (timestamp == null || signature == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, Base64.getDecoder().decode(signature));
        } catch (Exception e) {
            return false;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hooks/channelstream";
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    /** The partner's server goes down: connections are refused. */
    void down() {
        server.disposeNow(Duration.ofSeconds(10));
    }

    /** ...and comes back on the same address. */
    void up() {
        bind(port);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        if (server != null && !server.isDisposed()) {
            server.disposeNow(Duration.ofSeconds(10));
        }
        loops.disposeLater().block(Duration.ofSeconds(10));
    }
}
