package io.channelstream.schemas.evolution;

import io.channelstream.schemas.CompatibilityLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * Releases changed contracts: copies every current schema that differs from its latest released version to the
 * next {@code v<N>.avsc}. Refuses a schema that is not BACKWARD compatible with its history: releasing it would
 * break readers of records still in the topics. Run through {@code schemas/avro/snapshot-schemas.sh}.
 */
public final class SnapshotSchemas {

    private SnapshotSchemas() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: SnapshotSchemas <current schema dir> <history dir>");
            System.exit(2);
        }
        List<String> refused = new ArrayList<>();
        List<Path> written = snapshot(Path.of(args[0]), Path.of(args[1]), refused);
        written.forEach(file -> System.out.println("released " + file));
        refused.forEach(problem -> System.err.println("refused: " + problem));
        if (written.isEmpty() && refused.isEmpty()) {
            System.out.println("every current schema is already released");
        }
        System.exit(refused.isEmpty() ? 0 : 1);
    }

    /** Writes the new version files and returns them; adds to {@code refused} what it would not release. */
    public static List<Path> snapshot(Path currentDir, Path historyDir, List<String> refused) throws IOException {
        var released = SchemaFiles.released(historyDir);
        List<Path> written = new ArrayList<>();
        for (var current : SchemaFiles.current(currentDir).entrySet()) {
            String name = current.getKey();
            Schema schema = SchemaFiles.parse(current.getValue());
            NavigableMap<Integer, Schema> versions = new TreeMap<>();
            released.getOrDefault(name, new TreeMap<>()).forEach((v, file) -> versions.put(v, SchemaFiles.parse(file)));
            if (!versions.isEmpty() && EvolutionCheck.contractForm(schema)
                    .equals(EvolutionCheck.contractForm(versions.lastEntry().getValue()))) {
                continue;
            }
            List<String> problems = CompatibilityLevel.BACKWARD_TRANSITIVE.incompatibilities(schema, versions);
            if (!problems.isEmpty()) {
                problems.forEach(problem -> refused.add(name + ": " + problem));
                continue;
            }
            int next = versions.isEmpty() ? 1 : versions.lastKey() + 1;
            Path target = historyDir.resolve(name).resolve("v" + next + ".avsc");
            Files.createDirectories(target.getParent());
            Files.copy(current.getValue(), target);
            written.add(target);
        }
        return written;
    }
}
