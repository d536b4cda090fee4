package io.channelstream.api.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.channelstream.api.support.ApiIntegrationTest;
import io.channelstream.schemas.RestSchemaRegistryClient;
import io.channelstream.schemas.SchemaStore;
import java.net.URI;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The registry the app serves speaks Confluent's REST API (our own REST client is one consumer of
 * it), requires its credential, and persists to its compacted topic so ids survive a restart.
 */
class EmbeddedSchemaRegistryTest extends ApiIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    SchemaRegistryConfig.EmbeddedRegistryHolder embedded;

    @Test
    void registersLooksUpAndChecksCompatibilityOverRest() {
        RestSchemaRegistryClient client = client("registry", "registry-secret");
        String subject = unique("interop-test") + "-value";
        Schema v1 = SchemaBuilder.record("Probe").namespace("test").fields().requiredString("name").endRecord();
        Schema v2 = SchemaBuilder.record("Probe").namespace("test").fields().requiredString("name")
                .name("size").type().intType().intDefault(0).endRecord();
        Schema breaking = SchemaBuilder.record("Probe").namespace("test").fields().requiredString("name")
                .requiredLong("mandatory").endRecord();

        int id1 = client.register(subject, v1);
        assertThat(client.idOf(subject, v1)).isEqualTo(id1);
        assertThat(client.schemaById(id1)).isEqualTo(v1);
        assertThat(client.isCompatible(subject, v2)).isTrue();
        assertThat(client.isCompatible(subject, breaking)).isFalse();
        int id2 = client.register(subject, v2);
        assertThat(id2).isNotEqualTo(id1);
        assertThat(client.subjects()).contains(subject, "stock-movements-value");
    }

    @Test
    void theRegistryRefusesCallersWithoutItsCredential() {
        web.get().uri("/schema-registry/subjects").exchange().expectStatus().isUnauthorized();
        web.get().uri("/schema-registry/subjects")
                .headers(h -> h.setBasicAuth("registry", "wrong"))
                .exchange().expectStatus().isUnauthorized();
        web.get().uri("/schema-registry/subjects")
                .headers(h -> h.setBasicAuth("registry", "registry-secret"))
                .exchange().expectStatus().isOk();
    }

    @Test
    void anIncompatibleRegistrationIsRefusedWith409() {
        RestSchemaRegistryClient client = client("registry", "registry-secret");
        String subject = unique("breaking") + "-value";
        client.register(subject, SchemaBuilder.record("Thing").fields().requiredString("a").endRecord());
        web.post().uri("/schema-registry/subjects/{s}/versions", subject)
                .headers(h -> h.setBasicAuth("registry", "registry-secret"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .bodyValue("{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Thing\\\",\\\"fields\\\":"
                        + "[{\\\"name\\\":\\\"b\\\",\\\"type\\\":\\\"long\\\"}]}\"}")
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.error_code").isEqualTo(409);
    }

    @Test
    void idsSurviveARestartBecauseTheStoreIsReplayedFromItsTopic() {
        RestSchemaRegistryClient client = client("registry", "registry-secret");
        String subject = unique("durable") + "-value";
        int id = client.register(subject, SchemaBuilder.record("Durable").fields().requiredInt("n").endRecord());

        // what a restarted app does: a fresh store rebuilt from the compacted topic alone
        SchemaStore rebuilt = new SchemaStore();
        try (SchemaLog log = new SchemaLog(bootstrapServers())) {
            log.restoreInto(rebuilt, Duration.ofSeconds(30));
        }

        assertThat(rebuilt.latest(subject).id()).isEqualTo(id);
        assertThat(rebuilt.schemaById(id)).isEqualTo(embedded.registry().store().schemaById(id));
        assertThat(rebuilt.subjects()).containsAll(embedded.registry().store().subjects());
    }

    private RestSchemaRegistryClient client(String user, String password) {
        return new RestSchemaRegistryClient(URI.create("http://localhost:" + port + "/schema-registry"), user, password);
    }
}
