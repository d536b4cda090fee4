package io.channelstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channelstream.events.ScanRecorded;
import io.channelstream.schemas.WireFormatException.Reason;
import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {

    private static final String USER = "channelstream";
    private static final String PASSWORD = "s3cret:with-colon";

    private static final Schema PRICE_V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "Price", "namespace": "test", "fields": [
              {"name": "sku", "type": "string"},
              {"name": "listPriceFen", "type": "long"}]}""");
    private static final Schema PRICE_V2 = new Schema.Parser().parse("""
            {"type": "record", "name": "Price", "namespace": "test", "fields": [
              {"name": "sku", "type": "string"},
              {"name": "listPriceFen", "type": "long"},
              {"name": "floorPriceFen", "type": ["null", "long"], "default": null}]}""");
    private static final Schema PRICE_WITH_REQUIRED_FLOOR = new Schema.Parser().parse("""
            {"type": "record", "name": "Price", "namespace": "test", "fields": [
              {"name": "sku", "type": "string"},
              {"name": "listPriceFen", "type": "long"},
              {"name": "floorPriceFen", "type": "long"}]}""");

    private final SchemaStore store = new SchemaStore();
    private ConfluentRegistryStub registry;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void startRegistry() throws IOException {
        String basic = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes());
        registry = new ConfluentRegistryStub(store, basic);
        client = new RestSchemaRegistryClient(registry.baseUrl(), USER, PASSWORD);
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void registersLooksUpFetchesByIdAndChecksCompatibilityUnderAPathPrefix() {
        int v1 = client.register("prices-value", PRICE_V1);

        assertThat(v1).isPositive();
        assertThat(new RestSchemaRegistryClient(registry.baseUrl(), USER, PASSWORD).idOf("prices-value", PRICE_V1))
                .isEqualTo(v1);
        assertThat(new RestSchemaRegistryClient(registry.baseUrl(), USER, PASSWORD).schemaById(v1))
                .isEqualTo(PRICE_V1);
        assertThat(client.isCompatible("prices-value", PRICE_V2)).isTrue();
        assertThat(client.isCompatible("prices-value", PRICE_WITH_REQUIRED_FLOOR)).isFalse();
        assertThat(client.subjects()).containsExactly("prices-value");
        // the stub answers only under its path prefix, so these answers prove the prefix was kept
        assertThat(registry.requests()).contains("POST /subjects/prices-value/versions", "POST /subjects/prices-value",
                        "GET /schemas/ids/" + v1, "POST /compatibility/subjects/prices-value/versions/latest",
                        "GET /subjects");
    }

    @Test
    void secondCallsForTheSameSchemaOrIdMakeNoHttpRequest() {
        int id = client.register("prices-value", PRICE_V1);
        int requestsAfterRegister = registry.requests().size();

        assertThat(client.register("prices-value", PRICE_V1)).isEqualTo(id);
        assertThat(client.idOf("prices-value", PRICE_V1)).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(PRICE_V1);

        assertThat(registry.requests()).hasSize(requestsAfterRegister);
    }

    @Test
    void incompatibleRegistrationFailsWithConfluents409() {
        client.register("prices-value", PRICE_V1);

        assertThatThrownBy(() -> client.register("prices-value", PRICE_WITH_REQUIRED_FLOOR))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
                    assertThat(e.getMessage()).contains("floorPriceFen").contains("READER_FIELD_MISSING_DEFAULT_VALUE");
                });
    }

    @Test
    void unknownIdAndUnknownSubjectCarryStatusAndErrorCode() {
        assertThatThrownBy(() -> client.schemaById(77))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                    assertThat(e.isSchemaNotFound()).isTrue();
                });
        assertThatThrownBy(() -> client.idOf("nobody-value", PRICE_V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    }

    @Test
    void wrongCredentialsAreRefusedWithTheHttpStatus() {
        var intruder = new RestSchemaRegistryClient(registry.baseUrl(), USER, "guess");

        assertThatThrownBy(intruder::subjects)
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }

    @Test
    void unreachableRegistryIsNoResponseNamingTheUrl() {
        registry.close();

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
                    assertThat(e).hasMessageContaining("/schema-registry/schemas/ids/1");
                });
    }

    @Test
    void serdeOverRestWritesAndReadsAndReportsUnknownIds() {
        var serdes = new EventSerdes(client, true);
        var reader = new EventSerdes(new RestSchemaRegistryClient(registry.baseUrl(), USER, PASSWORD), false);
        ScanRecorded scan = SampleEvents.consumerScan();

        byte[] bytes = serdes.value(Topics.SCANS).serializer().serialize("scans", scan);

        assertThat(reader.value(Topics.SCANS).deserializer().deserialize("scans", bytes)).isEqualTo(scan);
        assertThatThrownBy(() -> reader.value(Topics.SCANS).deserializer()
                .deserialize("scans", AvroSerdeTest.framed(999, new byte[] {0})))
                .isInstanceOfSatisfying(WireFormatException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID));
    }

    @Test
    void trailingSlashOnTheBaseUrlIsTolerated() {
        var slashed = new RestSchemaRegistryClient(URI.create(registry.baseUrl() + "/"), USER, PASSWORD);

        assertThat(slashed.subjects()).isEmpty();
        assertThat(registry.requests()).containsExactly("GET /subjects");
    }
}
