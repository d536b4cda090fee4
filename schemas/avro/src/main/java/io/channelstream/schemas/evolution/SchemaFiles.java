package io.channelstream.schemas.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * The contracts on disk: current schemas ({@code src/main/avro/*.avsc}, one top-level type per file) and every
 * released version ({@code src/main/avro-history/<FullName>/v<N>.avsc}).
 */
public final class SchemaFiles {

    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]*)\\.avsc");

    private SchemaFiles() {
    }

    /** Current schema files by the full name of the type they define. */
    public static Map<String, Path> current(Path currentDir) {
        Map<String, Path> byName = new TreeMap<>();
        for (Path file : list(currentDir)) {
            if (!file.getFileName().toString().endsWith(".avsc")) {
                continue;
            }
            String name = parse(file).getFullName();
            Path other = byName.put(name, file);
            if (other != null) {
                throw new IllegalStateException(name + " is defined twice: " + other + " and " + file);
            }
        }
        return byName;
    }

    /** Released versions by full name, then version number. A file in the wrong place is an error, not skipped. */
    public static Map<String, NavigableMap<Integer, Path>> released(Path historyDir) {
        Map<String, NavigableMap<Integer, Path>> byName = new TreeMap<>();
        if (!Files.isDirectory(historyDir)) {
            return byName;
        }
        for (Path typeDir : list(historyDir)) {
            String name = typeDir.getFileName().toString();
            NavigableMap<Integer, Path> versions = new TreeMap<>();
            for (Path file : list(typeDir)) {
                Matcher matcher = VERSION_FILE.matcher(file.getFileName().toString());
                if (!matcher.matches()) {
                    throw new IllegalStateException(file + " is not named v<N>.avsc");
                }
                String defined = parse(file).getFullName();
                if (!defined.equals(name)) {
                    throw new IllegalStateException(file + " defines " + defined + ", not " + name);
                }
                versions.put(Integer.parseInt(matcher.group(1)), file);
            }
            if (!versions.isEmpty()) {
                byName.put(name, versions);
            }
        }
        return byName;
    }

    /** Parses one file on its own: every schema file must be self-contained. */
    public static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
