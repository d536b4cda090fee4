package io.channelstream.api.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.api.support.SecondApiInstance;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.Pallet;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A consumer app keeps its connection open and asks again and again: every lookup is answered, including one
 * answered from memory at once right after a lookup that had to read PostgreSQL. With Reactor Netty 1.3.6 such a
 * connection stopped being read for good (reactor-netty issue 4361): a request queued behind an unfinished one and
 * answered synchronously left the connection without a pending read, so its next request sat unread in the socket
 * and the client waited forever (what stalled {@code AlertsAndPartnersBenchmark --phases lookups}). Runs on an
 * instance without rate limits, as the benchmark does: the rate limit's Redis round trip would make every answer
 * asynchronous and hide the case.
 */
class KeepAliveTraceLookupTest extends ApiIntegrationTest {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(10);

    private static SecondApiInstance app;

    @BeforeAll
    static void anInstanceWithoutRateLimits() throws Exception {
        app = SecondApiInstance.start("channelstream.rate-limits.enabled=false");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aConnectionKeptOpenGetsEveryAnswerWhenACachedAnswerFollowsADatabaseRead() throws Exception {
        String tin = aShippedTin();
        String unknown = "/01/" + tin.substring(4, 18) + "/10/NO-SUCH-BATCH/21/S1"; // never cached: a PostgreSQL read
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            List<Integer> statuses = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                // two requests in one write: the second waits for the first, then is answered from memory
                out.write((get(unknown) + get(tin)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                statuses.add(readAnswer(in, round, unknown));
                statuses.add(readAnswer(in, round, tin));
            }
            List<Integer> expected = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                expected.addAll(List.of(404, 200));
            }
            assertThat(statuses).isEqualTo(expected);
        }
    }

    /** Ships one tin and waits until its lookup answers (and so is held in memory for the next ones). */
    private static String aShippedTin() {
        String first12 = "69" + String.format(Locale.ROOT, "%010d",
                ThreadLocalRandom.current().nextLong(10_000_000_000L));
        String gtin = "0" + first12 + TraceCodes.checkDigit("0" + first12);
        String batch = "KA" + ThreadLocalRandom.current().nextInt(1_000_000);
        String path = "/01/" + gtin + "/10/" + batch + "/21/S1";
        app.bean(EventPublisher.class).publish(Topics.SHIPMENTS, "SH-" + batch, ShipmentDispatched.newBuilder()
                .setEventId(UUID.randomUUID().toString()).setOccurredAt(Instant.now()).setSource("test")
                .setShipmentId("SH-" + batch).setFromLocationId("WH-KA").setToLocationId("DL-KA")
                .setLines(List.of())
                .setPallets(List.of(Pallet.newBuilder().setPalletCode("P-" + batch).setCases(List.of(
                        CaseUnit.newBuilder().setCaseCode("C-" + batch).setSku("SKU-KA").setBatch(batch)
                                .setItemCodes(List.of("https://brand.example" + path)).build())).build()))
                .build()).block(Duration.ofSeconds(30));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> app.web().get().uri(path).exchange().returnResult(String.class).getStatus().value() == 200);
        return path;
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n";
    }

    /** Reads one HTTP/1.1 answer (status line, headers, a Content-Length body); its status. */
    private static int readAnswer(InputStream in, int round, String path) throws IOException {
        String head;
        try {
            head = readHead(in);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("round " + round + ": no answer to GET " + path + " within " + ANSWER_WITHIN
                    + " on a kept-alive connection", e);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed; read so far: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
