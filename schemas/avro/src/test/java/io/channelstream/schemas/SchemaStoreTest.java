package io.channelstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaStoreTest {

    private static final String PRICE_V1 = """
            {"type": "record", "name": "Price", "fields": [
              {"name": "sku", "type": "string"},
              {"name": "listPriceFen", "type": "long"}]}""";
    private static final String PRICE_V2_OPTIONAL_FLOOR = """
            {"type": "record", "name": "Price", "fields": [
              {"name": "sku", "type": "string"},
              {"name": "listPriceFen", "type": "long"},
              {"name": "floorPriceFen", "type": ["null", "long"], "default": null}]}""";
    private static final String PRICE_REQUIRED_FLOOR = """
            {"type": "record", "name": "Price", "fields": [
              {"name": "sku", "type": "string"},
              {"name": "listPriceFen", "type": "long"},
              {"name": "floorPriceFen", "type": "long"}]}""";

    private final List<SchemaStore.Entry> persisted = new ArrayList<>();
    private final SchemaStore store = new SchemaStore(persisted::add);

    @Test
    void sameSchemaUnderTwoSubjectsSharesOneGlobalId() {
        int forPrices = store.register("prices-value", PRICE_V1);
        int forArchive = store.register("prices-archive-value", PRICE_V1.replace("\n", " "));

        assertThat(forArchive).isEqualTo(forPrices);
        assertThat(store.version("prices-archive-value", 1).id()).isEqualTo(forPrices);
    }

    @Test
    void registeringAnIdenticalSchemaAgainChangesNothing() {
        int id = store.register("prices-value", PRICE_V1);

        assertThat(store.register("prices-value", PRICE_V1)).isEqualTo(id);
        assertThat(store.versions("prices-value")).containsExactly(1);
        assertThat(persisted).hasSize(1);
    }

    @Test
    void backwardCompatibleChangeBecomesTheNextVersionWithANewId() {
        int v1 = store.register("prices-value", PRICE_V1);
        int v2 = store.register("prices-value", PRICE_V2_OPTIONAL_FLOOR);

        assertThat(v2).isPositive().isNotEqualTo(v1);
        assertThat(store.latest("prices-value")).extracting(SchemaStore.SubjectVersion::version,
                SchemaStore.SubjectVersion::id).containsExactly(2, v2);
        assertThat(store.lookup("prices-value", PRICE_V1).version()).isEqualTo(1);
    }

    @Test
    void incompatibleChangeIsRefusedWith409AndNothingIsPersisted() {
        store.register("prices-value", PRICE_V1);

        assertThatThrownBy(() -> store.register("prices-value", PRICE_REQUIRED_FLOOR))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(409);
                    assertThat(e.incompatibilities()).singleElement().asString()
                            .contains("version 1", "READER_FIELD_MISSING_DEFAULT_VALUE", "floorPriceFen");
                });
        assertThat(store.versions("prices-value")).containsExactly(1);
        assertThat(persisted).hasSize(1);
        assertThat(store.isCompatible("prices-value", PRICE_REQUIRED_FLOOR)).isFalse();
        assertThat(store.isCompatible("prices-value", PRICE_V2_OPTIONAL_FLOOR)).isTrue();
    }

    @Test
    void rebuildingFromPersistedEntriesGivesTheSameIdsAndKeepsDeletedOnes() {
        store.register("prices-value", PRICE_V1);
        store.register("prices-value", PRICE_V2_OPTIONAL_FLOOR);
        store.register("archive-value", PRICE_V1);
        int scratch = store.register("scratch-value", "\"string\"");
        store.deleteSubject("scratch-value");

        SchemaStore restarted = new SchemaStore();
        persisted.forEach(restarted::apply);

        assertThat(restarted.subjects()).containsExactly("archive-value", "prices-value");
        for (String subject : List.of("prices-value", "archive-value")) {
            for (int version : store.versions(subject)) {
                assertThat(restarted.version(subject, version)).isEqualTo(store.version(subject, version));
            }
        }
        assertThat(restarted.schemaById(scratch)).isEqualTo("\"string\"");
        assertThat(restarted.register("other-value", "\"long\"")).isEqualTo(store.register("other-value", "\"long\""));
    }

    @Test
    void replayingAnEntryTwiceIsHarmless() {
        store.register("prices-value", PRICE_V1);
        SchemaStore restarted = new SchemaStore();

        persisted.forEach(restarted::apply);
        persisted.forEach(restarted::apply);

        assertThat(restarted.versions("prices-value")).containsExactly(1);
        int v2 = restarted.register("prices-value", PRICE_V2_OPTIONAL_FLOOR);
        assertThat(v2).isNotEqualTo(restarted.version("prices-value", 1).id());
        assertThat(restarted.version("prices-value", 2).id()).isEqualTo(v2);
    }

    @Test
    void twoStoresThatNeverTalkedGiveTheSameSchemaTheSameId() {
        SchemaStore other = new SchemaStore();

        int here = store.register("prices-value", PRICE_V1);
        int there = other.register("prices-archive-value", PRICE_V1);

        assertThat(there).isEqualTo(here);
        assertThat(other.schemaById(here)).isEqualTo(store.schemaById(here));
    }

    @Test
    void aChangeThatCannotBePersistedIsNotAccepted() {
        SchemaStore failing = new SchemaStore(entry -> {
            throw new IllegalStateException("broker down");
        });

        assertThatThrownBy(() -> failing.register("prices-value", PRICE_V1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.STORE_ERROR);
                    assertThat(e).hasMessageContaining("broker down");
                });
        assertThat(failing.subjects()).isEmpty();
        assertThatThrownBy(() -> failing.schemaById(1)).isInstanceOf(SchemaRegistryException.class);
    }

    @Test
    void transitiveLevelChecksEveryVersionWhilePlainLevelChecksOnlyTheLatest() {
        String v1 = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";
        String v2 = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}";
        String v3 = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"string\",\"default\":\"\"}]}";
        store.register("plain-value", v1);
        store.register("plain-value", v2);
        store.setCompatibility("transitive-value", CompatibilityLevel.BACKWARD_TRANSITIVE);
        store.register("transitive-value", v1);
        store.register("transitive-value", v2);

        assertThat(store.register("plain-value", v3)).isPositive();
        assertThatThrownBy(() -> store.register("transitive-value", v3))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class,
                        e -> assertThat(e.incompatibilities()).singleElement().asString().contains("version 1"));
    }

    @Test
    void forwardLevelRefusesWhatOldReadersCannotRead() {
        store.setCompatibility("prices-value", CompatibilityLevel.FORWARD);
        store.register("prices-value", PRICE_V2_OPTIONAL_FLOOR);
        String withoutSku = "{\"type\":\"record\",\"name\":\"Price\",\"fields\":["
                + "{\"name\":\"listPriceFen\",\"type\":\"long\"}]}";

        assertThatThrownBy(() -> store.register("prices-value", withoutSku))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class,
                        e -> assertThat(e.incompatibilities()).singleElement().asString()
                                .contains("version 1 cannot read the new schema"));
        store.setCompatibility("prices-value", CompatibilityLevel.NONE);
        assertThat(store.register("prices-value", withoutSku)).isPositive();
    }

    @Test
    void deletedSubjectKeepsItsIdsResolvableAndNeverReusesVersionNumbers() {
        int id = store.register("prices-value", PRICE_V1);

        assertThat(store.deleteSubject("prices-value")).containsExactly(1);
        assertThat(store.subjects()).isEmpty();
        assertThat(store.schemaById(id)).contains("Price");
        assertThat(store.register("prices-value", PRICE_V1)).isEqualTo(id);
        assertThat(store.versions("prices-value")).containsExactly(2);
        assertThat(persisted).extracting(SchemaStore.Entry::deleted).containsExactly(false, true, false);
    }

    @Test
    void unknownSubjectsVersionsAndSchemasAnswerWithConfluentErrorCodes() {
        store.register("prices-value", PRICE_V1);

        assertErrorCode(() -> store.versions("nobody-value"), SchemaRegistryException.SUBJECT_NOT_FOUND);
        assertErrorCode(() -> store.version("prices-value", 9), SchemaRegistryException.VERSION_NOT_FOUND);
        assertErrorCode(() -> store.version("prices-value", "first"), SchemaRegistryException.INVALID_VERSION);
        assertErrorCode(() -> store.lookup("prices-value", PRICE_REQUIRED_FLOOR),
                SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertErrorCode(() -> store.schemaById(42), SchemaRegistryException.SCHEMA_NOT_FOUND);
        assertErrorCode(() -> store.register("prices-value", "{\"type\": \"recor\"}"),
                SchemaRegistryException.INVALID_SCHEMA);
        assertErrorCode(() -> CompatibilityLevel.parse("SIDEWAYS"),
                SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL);
        assertThat(store.version("prices-value", "latest").version()).isEqualTo(1);
    }

    @Test
    void inProcessClientAnswersLikeARegistry() {
        var client = new InProcessSchemaRegistryClient(store);
        var v1 = new org.apache.avro.Schema.Parser().parse(PRICE_V1);

        int id = client.register("prices-value", v1);

        assertThat(client.idOf("prices-value", v1)).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(v1);
        assertThat(client.isCompatible("prices-value",
                new org.apache.avro.Schema.Parser().parse(PRICE_REQUIRED_FLOOR))).isFalse();
        assertThat(client.subjects()).containsExactly("prices-value");
    }

    private static void assertErrorCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int errorCode) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SchemaRegistryException.class,
                e -> assertThat(e.errorCode()).isEqualTo(errorCode));
    }
}
