package io.channelstream.api.support;

import io.channelstream.api.security.Caller;
import io.channelstream.api.security.LocalTokenIssuer;
import io.channelstream.api.security.Role;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.infra.Infrastructure;
import io.channelstream.infra.PostgresEndpoint;
import io.channelstream.infra.RedisEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import io.channelstream.events.Alert;
import io.channelstream.schemas.EventSerdes;
import io.channelstream.schemas.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The application, really started, on real servers: an in-process KRaft broker, PostgreSQL and
 * Redis from {@link Infrastructure#shared()} (configured address, Testcontainers, local service or
 * embedded server, in that order). Test classes extending this share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
public abstract class ApiIntegrationTest {

    private static final String RUN_ID = UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    protected WebTestClient web;

    @Autowired
    protected LocalTokenIssuer tokens;

    @Autowired
    protected TopologyRunner topologies;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        realServers(registry);
        registry.add("channelstream.security.local-issuer", () -> "true");
        // webhook tests deliver to a plain-http receiver on this machine: allowed explicitly, nothing wider
        registry.add("channelstream.webhooks.require-https", () -> "false");
        registry.add("channelstream.webhooks.allowed-private-targets", () -> "127.0.0.1/32");
    }

    /** Points the app at the shared real servers, with local mode (embedded start-up) off. */
    public static void realServers(DynamicPropertyRegistry registry) throws Exception {
        Infrastructure infra = Infrastructure.shared();
        PostgresEndpoint postgres = infra.postgres().endpoint();
        RedisEndpoint redis = infra.redis().endpoint();
        Path stateDir = Files.createTempDirectory("channelstream-test-state");
        registry.add("channelstream.local.enabled", () -> "false");
        registry.add("channelstream.kafka.bootstrap-servers", () -> infra.kafka().bootstrapServers());
        registry.add("channelstream.streams.application-id-prefix", () -> "test-" + RUN_ID);
        registry.add("channelstream.streams.state-dir", stateDir::toString);
        registry.add("spring.r2dbc.url", postgres::r2dbcUrl);
        registry.add("spring.r2dbc.username", postgres::user);
        registry.add("spring.r2dbc.password", () -> postgres.password() == null ? "" : postgres.password());
        registry.add("spring.flyway.url", postgres::jdbcUrl);
        registry.add("spring.flyway.user", postgres::user);
        registry.add("spring.flyway.password", () -> postgres.password() == null ? "" : postgres.password());
        registry.add("spring.data.redis.host", redis::host);
        registry.add("spring.data.redis.port", redis::port);
    }

    protected static String bootstrapServers() {
        return Infrastructure.shared().kafka().bootstrapServers();
    }

    /**
     * Every readable alert on the alerts topic (read committed, from the start) until one matches {@code wanted}.
     * Records that are not alerts in the wire format are passed over: the tests share one broker, and
     * DeadLetterTest puts an unreadable record on this topic on purpose.
     */
    protected static List<Alert> readAlertsUntil(EventSerdes serdes, Predicate<Alert> wanted, Duration atMost) {
        List<Alert> seen = new ArrayList<>();
        Deserializer<Alert> alerts = serdes.value(Topics.ALERTS).deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, unique("alert-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ALERTS.name()));
            Awaitility.await().atMost(atMost).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        seen.add(alerts.deserialize(record.topic(), record.value()));
                    } catch (SerializationException notAnAlert) {
                        // another test's deliberately unreadable record
                    }
                }
                return seen.stream().anyMatch(wanted);
            });
        }
        return seen;
    }

    /** A unique id, so tests sharing one broker and database never see each other's data. */
    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected String hqToken() {
        return tokens.issue(new Caller("hq-test", Role.HQ, List.of(), null, null, List.of()));
    }

    protected String dealerToken(String dealerId) {
        return tokens.issue(new Caller("dealer-" + dealerId, Role.DEALER, List.of(), dealerId, null, List.of()));
    }

    protected String managerToken(String... regionCodes) {
        return tokens.issue(new Caller("manager", Role.REGIONAL_MANAGER, List.of(regionCodes), null, null,
                List.of()));
    }

    /** Waits (polling, not sleeping on a store) until the inventory topology runs. */
    protected void awaitInventoryRunning() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> topologies.streams(TopologyRunner.INVENTORY)
                .map(streams -> streams.state() == KafkaStreams.State.RUNNING).orElse(false));
    }

    /**
     * Records products through the API, as HQ (stock movements and orders for an unknown SKU are refused).
     * Each SKU gets a GTIN of its own derived from it, so recording it again changes nothing.
     */
    protected void putProduct(String... skus) {
        for (String sku : skus) {
            web.put().uri("/api/master/products/{sku}", sku)
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                    .bodyValue(productJson(sku))
                    .exchange()
                    .expectStatus().isOk();
        }
    }

    /** A product body for {@code PUT /api/master/products/{sku}}: infant formula, the default warning rule. */
    public static String productJson(String sku) {
        return """
                {"gtin": "%s", "name": "Test product %s", "category": "INFANT_FORMULA",
                 "shelfLifeDays": 540, "expiryWarningDays": 180}""".formatted(gtinFor(sku), sku);
    }

    /** A valid GTIN-13 derived from the SKU (prefix 68, which no other test uses). */
    public static String gtinFor(String sku) {
        String first12 = "68" + String.format("%010d", Math.floorMod(sku.hashCode() * 31L + sku.length(),
                10_000_000_000L));
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int digit = first12.charAt(i) - '0';
            sum += i % 2 == 0 ? digit : digit * 3;
        }
        return first12 + ((10 - sum % 10) % 10);
    }

    /** Records a location through the API, as HQ. */
    protected void putLocation(String locationId, String regionCode, String dealerId) {
        String dealer = dealerId == null ? "null" : "\"" + dealerId + "\"";
        web.put().uri("/api/master/locations/{id}", locationId)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Test location %s", "kind": "DEALER", "regionCode": "%s",
                         "latitude": 23.1, "longitude": 113.3, "dealerId": %s, "safetyStockUnits": 10}
                        """.formatted(locationId, regionCode, dealer))
                .exchange()
                .expectStatus().isOk();
    }
}
