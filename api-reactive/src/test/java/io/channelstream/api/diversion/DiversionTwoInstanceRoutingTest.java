package io.channelstream.api.diversion;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.ChannelstreamApplication;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.support.IsolatedNettyResources;
import io.channelstream.api.support.TestIdentityProvider;
import io.channelstream.infra.Infrastructure;
import io.channelstream.infra.PostgresEndpoint;
import io.channelstream.infra.RedisEndpoint;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two instances share the diversion topology's partitions: a code's trail is answered from whichever
 * instance owns the code, asked through either, by one routed call.
 */
class DiversionTwoInstanceRoutingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GTIN = "06901234567892";

    private final TestIdentityProvider identityProvider = new TestIdentityProvider();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aCodesTrailIsServedByItsOwnerWhicheverInstanceIsAsked() throws Exception {
        ConfigurableApplicationContext first = start();
        ConfigurableApplicationContext second = start("--channelstream.schema-registry.url=http://"
                + hostOf(first) + "/schema-registry");
        awaitBothRunning(first, second);
        WebTestClient viaFirst = client(first);
        WebTestClient viaSecond = client(second);

        String dealer = "D-RT-" + run;
        String depot = "DL-RT-" + run;
        String warehouse = "WH-RT-" + run;
        viaFirst.put().uri("/api/master/dealers/{id}", dealer).headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Routing dealer", "tier": 1, "authorizedRegionCodes": ["44"],
                         "effectiveFrom": "2026-01-01T00:00:00Z"}""")
                .exchange().expectStatus().isOk();
        putLocation(viaFirst, depot, "440106", "\"" + dealer + "\"");
        putLocation(viaFirst, warehouse, "440113", "null");
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            codes.add("https://qr.brand.test/01/" + GTIN + "/21/RT" + i + "-" + run);
        }
        viaFirst.post().uri("/api/shipments").headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"shipmentId": "SHP-RT-%s", "fromLocationId": "%s", "toLocationId": "%s",
                         "lines": [{"sku": "SKU-RT", "batch": "B1", "quantity": 12}],
                         "looseCases": [{"caseCode": "CASE-RT-%s", "sku": "SKU-RT", "batch": "B1",
                                         "itemCodes": %s}],
                         "occurredAt": "%s"}
                        """.formatted(run, warehouse, depot, run, JSON.writeValueAsString(codes),
                        Instant.now().minus(Duration.ofHours(1))))
                .exchange().expectStatus().isAccepted();

        Set<String> answeringInstances = new HashSet<>();
        for (String code : codes) {
            CodeTrailView fromFirst = awaitBound(viaFirst, code);
            CodeTrailView fromSecond = awaitBound(viaSecond, code);
            assertThat(fromFirst.servedBy()).isEqualTo(fromSecond.servedBy());
            assertThat(fromSecond.bindings()).singleElement()
                    .satisfies(binding -> assertThat(binding.dealerId()).isEqualTo(dealer));
            answeringInstances.add(fromFirst.servedBy());
        }
        assertThat(answeringInstances).as("both instances own some codes")
                .containsExactlyInAnyOrder(hostOf(first), hostOf(second));
    }

    private ConfigurableApplicationContext start(String... extraArgs) throws Exception {
        Infrastructure infra = Infrastructure.shared();
        PostgresEndpoint postgres = infra.postgres().endpoint();
        RedisEndpoint redis = infra.redis().endpoint();
        String password = postgres.password() == null ? "" : postgres.password();
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--channelstream.local.enabled=false",
                "--channelstream.security.local-issuer=false",
                "--spring.security.oauth2.resourceserver.jwt.public-key-location="
                        + identityProvider.publicKeyLocation(),
                "--channelstream.kafka.bootstrap-servers=" + infra.kafka().bootstrapServers(),
                "--channelstream.streams.application-id-prefix=diversion-routing-" + run,
                "--channelstream.streams.topologies=diversion",
                "--channelstream.streams.state-dir=" + Files.createTempDirectory("diversion-routing-state"),
                "--spring.r2dbc.url=" + postgres.r2dbcUrl(),
                "--spring.r2dbc.username=" + postgres.user(),
                "--spring.r2dbc.password=" + password,
                "--spring.flyway.url=" + postgres.jdbcUrl(),
                "--spring.flyway.user=" + postgres.user(),
                "--spring.flyway.password=" + password,
                "--spring.data.redis.host=" + redis.host(),
                "--spring.data.redis.port=" + redis.port()));
        args.addAll(List.of(extraArgs));
        ConfigurableApplicationContext context = ChannelstreamApplication.application(IsolatedNettyResources.class)
                .run(args.toArray(String[]::new));
        instances.add(context);
        return context;
    }

    private static void awaitBothRunning(ConfigurableApplicationContext... contexts) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).until(() -> {
            for (ConfigurableApplicationContext context : contexts) {
                KafkaStreams streams = context.getBean(TopologyRunner.class)
                        .streams(DiversionApiConfig.TOPOLOGY).orElseThrow();
                boolean ownsTasks = streams.metadataForLocalThreads().stream()
                        .anyMatch(thread -> !thread.activeTasks().isEmpty());
                if (streams.state() != KafkaStreams.State.RUNNING || !ownsTasks) {
                    return false;
                }
            }
            return true;
        });
    }

    private String hqToken() {
        return identityProvider.token(new Caller("hq-routing", Role.HQ, List.of(), null, null, List.of()));
    }

    private static String hostOf(ConfigurableApplicationContext context) {
        return "localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static WebTestClient client(ConfigurableApplicationContext context) {
        return WebTestClient.bindToServer().baseUrl("http://" + hostOf(context))
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    private void putLocation(WebTestClient web, String location, String region, String dealerJson) {
        web.put().uri("/api/master/locations/{id}", location)
                .headers(h -> h.setBearerAuth(hqToken()))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"name": "Routing %s", "kind": "DEALER", "regionCode": "%s",
                         "latitude": 23.1, "longitude": 113.3, "dealerId": %s}
                        """.formatted(location, region, dealerJson))
                .exchange()
                .expectStatus().isOk();
    }

    /** Polls until the code is bound; 503 + Retry-After while a rebalance runs, 404 before the binding lands. */
    private CodeTrailView awaitBound(WebTestClient web, String code) {
        CodeTrailView[] last = new CodeTrailView[1];
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            EntityExchangeResult<String> result = web.get()
                    .uri(b -> b.path("/api/diversion/codes").queryParam("code", "{code}").build(code))
                    .headers(h -> h.setBearerAuth(hqToken()))
                    .exchange()
                    .expectBody(String.class).returnResult();
            int status = result.getStatus().value();
            if (status == 503) {
                assertThat(result.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
                return false;
            }
            if (status == 404) {
                return false;
            }
            assertThat(status).as("status for %s: %s", code, result.getResponseBody()).isEqualTo(200);
            last[0] = JSON.readValue(result.getResponseBody(), CodeTrailView.class);
            return last[0].bound();
        });
        return last[0];
    }
}
