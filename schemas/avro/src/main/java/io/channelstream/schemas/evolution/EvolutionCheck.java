package io.channelstream.schemas.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.channelstream.schemas.CompatibilityLevel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The build-time contract check. Consumers upgrade first (BACKWARD, as the registry enforces), and records stay
 * in topics for days, so the current schema must read every released version, not only the last one. And every
 * change must be released as a new version file, so the history in git is the history on the wire.
 */
public final class EvolutionCheck {

    static final String SNAPSHOT_HINT = "run schemas/avro/snapshot-schemas.sh and commit the new version file";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EvolutionCheck() {
    }

    /** Problems with the schema files on disk; empty when the contracts may ship. */
    public static List<String> problems(Path currentDir, Path historyDir) {
        Map<String, Schema> current = new TreeMap<>();
        SchemaFiles.current(currentDir).forEach((name, file) -> current.put(name, SchemaFiles.parse(file)));
        Map<String, NavigableMap<Integer, Schema>> released = new TreeMap<>();
        SchemaFiles.released(historyDir).forEach((name, versions) -> {
            NavigableMap<Integer, Schema> schemas = new TreeMap<>();
            versions.forEach((version, file) -> schemas.put(version, SchemaFiles.parse(file)));
            released.put(name, schemas);
        });
        return problems(current, released);
    }

    /**
     * @param current  current schema by full name
     * @param released released versions by full name, then version number
     */
    public static List<String> problems(Map<String, Schema> current,
            Map<String, NavigableMap<Integer, Schema>> released) {
        List<String> problems = new ArrayList<>();
        current.forEach((name, schema) -> {
            NavigableMap<Integer, Schema> versions = released.get(name);
            if (versions == null || versions.isEmpty()) {
                problems.add(name + " has no released version: " + SNAPSHOT_HINT + " (v1).");
                return;
            }
            CompatibilityLevel.BACKWARD_TRANSITIVE.incompatibilities(schema, versions).forEach(problem ->
                    problems.add(name + " is not BACKWARD compatible: " + problem));
            int latest = versions.lastKey();
            if (!contractForm(schema).equals(contractForm(versions.get(latest)))) {
                problems.add(name + " differs from its latest released version v" + latest + ": " + SNAPSHOT_HINT
                        + " (v" + (latest + 1) + ").");
            }
        });
        released.keySet().stream().filter(name -> !current.containsKey(name)).forEach(name -> problems.add(
                name + " was released but has no current schema: its topic's readers still need it; restore it."));
        return problems;
    }

    /**
     * The schema as JSON without documentation. Stricter than Avro's Parsing Canonical Form, which also drops
     * defaults, logical types and aliases: those change how data is read, so they count as changes.
     */
    public static String contractForm(Schema schema) {
        try {
            JsonNode tree = JSON.readTree(schema.toString());
            dropDocs(tree);
            return tree.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void dropDocs(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove("doc");
            object.properties().forEach(field -> {
                if (!"default".equals(field.getKey())) { // default values are data: keep them whole
                    dropDocs(field.getValue());
                }
            });
        } else if (node.isArray()) {
            node.forEach(EvolutionCheck::dropDocs);
        }
    }
}
