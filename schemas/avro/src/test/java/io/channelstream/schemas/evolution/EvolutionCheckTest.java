package io.channelstream.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker's logic on in-test schemas, so no real contract is edited to prove it bites. */
class EvolutionCheckTest {

    private static final String NAME = "test.ScanRecorded";
    private static final String V1 = """
            {"type": "record", "name": "ScanRecorded", "namespace": "test", "fields": [
              {"name": "code", "type": "string", "doc": "serial code"}]}""";
    private static final String WITH_OPTIONAL_REGION = """
            {"type": "record", "name": "ScanRecorded", "namespace": "test", "fields": [
              {"name": "code", "type": "string", "doc": "serial code"},
              {"name": "regionCode", "type": ["null", "string"], "default": null}]}""";
    private static final String WITH_REQUIRED_REGION = """
            {"type": "record", "name": "ScanRecorded", "namespace": "test", "fields": [
              {"name": "code", "type": "string", "doc": "serial code"},
              {"name": "regionCode", "type": "string"}]}""";

    @TempDir
    Path dir;

    @Test
    void addingARequiredFieldWithoutDefaultIsRejectedNamingSchemaVersionAndIncompatibility() {
        List<String> problems = EvolutionCheck.problems(Map.of(NAME, parse(WITH_REQUIRED_REGION)), released(V1));

        assertThat(problems).anySatisfy(problem -> assertThat(problem)
                .contains(NAME, "not BACKWARD compatible", "version 1", "READER_FIELD_MISSING_DEFAULT_VALUE",
                        "regionCode"));
    }

    @Test
    void compatibleChangeStillFailsUntilItIsReleasedAsTheNextVersion() {
        List<String> problems = EvolutionCheck.problems(Map.of(NAME, parse(WITH_OPTIONAL_REGION)), released(V1));

        assertThat(problems).singleElement().asString()
                .contains(NAME, "differs from its latest released version v1", "snapshot-schemas.sh", "(v2)");
        assertThat(EvolutionCheck.problems(Map.of(NAME, parse(WITH_OPTIONAL_REGION)),
                released(V1, WITH_OPTIONAL_REGION))).isEmpty();
    }

    @Test
    void theCheckIsTransitiveOverEveryReleasedVersion() {
        String v2WithoutCode = """
                {"type": "record", "name": "ScanRecorded", "namespace": "test", "fields": []}""";
        String v3CodeAsNumber = """
                {"type": "record", "name": "ScanRecorded", "namespace": "test", "fields": [
                  {"name": "code", "type": "long", "default": 0}]}""";

        List<String> problems = EvolutionCheck.problems(Map.of(NAME, parse(v3CodeAsNumber)),
                released(V1, v2WithoutCode, v3CodeAsNumber));

        assertThat(problems).singleElement().asString().contains("version 1", "TYPE_MISMATCH");
    }

    @Test
    void documentationOnlyChangesNeedNoNewVersionButDefaultsDo() {
        String reworded = V1.replace("serial code", "serial code as printed on the can");
        String otherDefault = WITH_OPTIONAL_REGION
                .replace("[\"null\", \"string\"], \"default\": null", "[\"string\", \"null\"], \"default\": \"00\"");

        assertThat(EvolutionCheck.problems(Map.of(NAME, parse(reworded)), released(V1))).isEmpty();
        assertThat(EvolutionCheck.problems(Map.of(NAME, parse(otherDefault)), released(V1, WITH_OPTIONAL_REGION)))
                .singleElement().asString().contains("differs from its latest released version v2");
    }

    @Test
    void schemaWithoutReleaseAndReleaseWithoutSchemaAreBothReported() {
        var problems = EvolutionCheck.problems(Map.of(NAME, parse(V1)), Map.of());
        var orphaned = EvolutionCheck.problems(Map.of(), released(V1));

        assertThat(problems).singleElement().asString().contains("has no released version", "(v1)");
        assertThat(orphaned).singleElement().asString().contains("was released but has no current schema");
    }

    @Test
    void snapshotReleasesCompatibleChangesAsTheNextFileAndRefusesIncompatibleOnes() throws IOException {
        Path current = Files.createDirectories(dir.resolve("avro"));
        Path history = dir.resolve("avro-history");
        Files.writeString(current.resolve("ScanRecorded.avsc"), V1);

        assertThat(SnapshotSchemas.snapshot(current, history, new ArrayList<>()))
                .containsExactly(history.resolve(NAME).resolve("v1.avsc"));

        Files.writeString(current.resolve("ScanRecorded.avsc"), WITH_OPTIONAL_REGION);
        assertThat(SnapshotSchemas.snapshot(current, history, new ArrayList<>()))
                .containsExactly(history.resolve(NAME).resolve("v2.avsc"));
        assertThat(EvolutionCheck.problems(current, history)).isEmpty();

        Files.writeString(current.resolve("ScanRecorded.avsc"), WITH_REQUIRED_REGION);
        List<String> refused = new ArrayList<>();
        assertThat(SnapshotSchemas.snapshot(current, history, refused)).isEmpty();
        assertThat(refused).isNotEmpty().allSatisfy(problem -> assertThat(problem).contains(NAME));
        assertThat(history.resolve(NAME).resolve("v3.avsc")).doesNotExist();
    }

    private static Map<String, NavigableMap<Integer, Schema>> released(String... versions) {
        TreeMap<Integer, Schema> byVersion = new TreeMap<>();
        for (int i = 0; i < versions.length; i++) {
            byVersion.put(i + 1, parse(versions[i]));
        }
        return Map.of(NAME, byVersion);
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
