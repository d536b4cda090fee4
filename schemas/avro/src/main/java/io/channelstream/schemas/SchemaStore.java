package io.channelstream.schemas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * The core of a Confluent-compatible schema registry: subjects, their versions, and global schema ids.
 *
 * <p>Ids are global and stable: the same schema (same normalized JSON) registered under two subjects gets one
 * id, as Confluent does. Every change is one {@link Entry}; the store hands it to the {@code changes} sink
 * (the app writes it to the compacted {@link Topics#SCHEMAS} topic) <em>before</em> applying it, so nothing is
 * accepted that was not persisted, and {@link #apply(Entry)} replays entries on restart to rebuild the same ids.
 *
 * <p>A new schema's id is derived from its normalized text (31 bits of its SHA-256, the next free number on
 * the rare clash), not counted up. So two stores that register the same schemas independently, such as two
 * local app instances each embedding a registry over one topic, hand out the same ids without coordinating,
 * and a record written through one decodes through the other. Ids already persisted (counted ones from
 * before, or a clash resolved earlier) are kept on replay. Two writers racing to add <em>different</em> new
 * versions of one subject is still not arbitrated; schema changes are a deployment step, made through one
 * instance.
 *
 * <p>Thread-safe by one lock; registrations are rare (clients cache).
 */
public final class SchemaStore {

    /** Answer of {@code version(...)}/{@code lookup(...)}: a schema as registered under a subject. */
    public record SubjectVersion(String subject, int version, int id, String schemaText) {
    }

    /**
     * One persisted change: a version registered, or (deleted = true) soft-deleted. The id and text stay
     * resolvable after a delete, since records written with it still exist.
     */
    public record Entry(String subject, int version, int id, String schemaText, boolean deleted) {
        public Entry {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schemaText, "schemaText");
            if (version < 1 || id < 1) {
                throw new IllegalArgumentException("entry for '" + subject + "' needs version >= 1 and id >= 1, was v"
                        + version + " id " + id);
            }
        }
    }

    private record Stored(int id, Schema schema, String schemaText, boolean deleted) {
    }

    private final Consumer<Entry> changes;
    private CompatibilityLevel defaultLevel;
    private final Map<String, CompatibilityLevel> levelBySubject = new HashMap<>();
    private final Map<String, NavigableMap<Integer, Stored>> versionsBySubject = new TreeMap<>();
    private final Map<Integer, String> textById = new HashMap<>();
    private final Map<String, Integer> idByText = new HashMap<>();

    /** A store that keeps nothing outside memory (tests, TopologyTestDriver). */
    public SchemaStore() {
        this(entry -> { }, CompatibilityLevel.BACKWARD);
    }

    public SchemaStore(Consumer<Entry> changes) {
        this(changes, CompatibilityLevel.BACKWARD);
    }

    public SchemaStore(Consumer<Entry> changes, CompatibilityLevel defaultLevel) {
        this.changes = Objects.requireNonNull(changes, "changes");
        this.defaultLevel = Objects.requireNonNull(defaultLevel, "defaultLevel");
    }

    /**
     * Registers a schema under a subject and returns its id. An identical live version returns its id
     * unchanged; otherwise the subject's compatibility level must allow it ({@link IncompatibleSchemaException}).
     */
    public synchronized int register(String subject, String schemaText) {
        Schema schema = parse(schemaText);
        String normalized = schema.toString();
        var live = liveVersions(subject);
        for (Stored stored : live.values()) {
            if (stored.schemaText().equals(normalized)) {
                return stored.id();
            }
        }
        CompatibilityLevel level = compatibility(subject);
        List<String> problems = level.incompatibilities(schema, schemasOf(live));
        if (!problems.isEmpty()) {
            throw new IncompatibleSchemaException(subject, level, problems);
        }
        Integer known = idByText.get(normalized);
        int id = known != null ? known : derivedId(normalized);
        int version = lastVersion(subject) + 1;
        persistThenApply(new Entry(subject, version, id, normalized, false));
        return id;
    }

    /** The live version of the subject holding exactly this schema (Confluent's POST /subjects/{subject}). */
    public synchronized SubjectVersion lookup(String subject, String schemaText) {
        String normalized = parse(schemaText).toString();
        var live = liveVersions(subject);
        if (live.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return live.entrySet().stream()
                .filter(e -> e.getValue().schemaText().equals(normalized))
                .findFirst()
                .map(e -> answer(subject, e.getKey(), e.getValue()))
                .orElseThrow(() -> SchemaRegistryException.schemaNotFound("no such schema under subject '"
                        + subject + "'"));
    }

    /** The schema text with this global id, including ids whose versions were deleted. */
    public synchronized String schemaById(int id) {
        String text = textById.get(id);
        if (text == null) {
            throw SchemaRegistryException.schemaNotFound("id " + id);
        }
        return text;
    }

    /** Subjects with at least one live version, sorted. */
    public synchronized List<String> subjects() {
        return versionsBySubject.keySet().stream().filter(s -> !liveVersions(s).isEmpty()).toList();
    }

    /** Live version numbers of a subject, ascending. */
    public synchronized List<Integer> versions(String subject) {
        var live = liveVersions(subject);
        if (live.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return List.copyOf(live.keySet());
    }

    public synchronized SubjectVersion version(String subject, int version) {
        var live = liveVersions(subject);
        if (live.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        Stored stored = live.get(version);
        if (stored == null) {
            throw SchemaRegistryException.versionNotFound(subject, version);
        }
        return answer(subject, version, stored);
    }

    /** A version as the REST path spells it: a number, {@code latest} or {@code -1}. */
    public synchronized SubjectVersion version(String subject, String versionRef) {
        if ("latest".equals(versionRef) || "-1".equals(versionRef)) {
            return latest(subject);
        }
        try {
            int version = Integer.parseInt(versionRef);
            if (version < 1) {
                throw new NumberFormatException();
            }
            return version(subject, version);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION, "The specified version '"
                    + versionRef + "' is not a valid version id. Allowed values are between [1, 2^31-1] and 'latest'");
        }
    }

    public synchronized SubjectVersion latest(String subject) {
        var live = liveVersions(subject);
        if (live.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return answer(subject, live.lastKey(), live.lastEntry().getValue());
    }

    /** Whether {@link #register} would accept the schema under the subject's level (true for a new subject). */
    public synchronized boolean isCompatible(String subject, String schemaText) {
        return incompatibilities(subject, schemaText).isEmpty();
    }

    /** What {@link #register} would object to; empty when it would accept. */
    public synchronized List<String> incompatibilities(String subject, String schemaText) {
        return compatibility(subject).incompatibilities(parse(schemaText), schemasOf(liveVersions(subject)));
    }

    /**
     * Checks against one version (Confluent's POST /compatibility/subjects/{subject}/versions/{version}), in the
     * direction(s) of the subject's level.
     */
    public synchronized boolean isCompatible(String subject, String schemaText, String versionRef) {
        SubjectVersion against = version(subject, versionRef);
        Stored stored = versionsBySubject.get(subject).get(against.version());
        var one = new TreeMap<Integer, Schema>(Map.of(against.version(), stored.schema()));
        return compatibility(subject).incompatibilities(parse(schemaText), one).isEmpty();
    }

    /** The level in force for a subject: its own, else the global default. */
    public synchronized CompatibilityLevel compatibility(String subject) {
        return levelBySubject.getOrDefault(subject, defaultLevel);
    }

    public synchronized CompatibilityLevel compatibility() {
        return defaultLevel;
    }

    /** Sets the global default level. Held in memory only: the app sets it from configuration at start. */
    public synchronized void setCompatibility(CompatibilityLevel level) {
        defaultLevel = Objects.requireNonNull(level, "level");
    }

    /** Sets a subject's level. Held in memory only, like the default: entries record schema versions only. */
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        levelBySubject.put(subject, Objects.requireNonNull(level, "level"));
    }

    /** Soft-deletes every live version of the subject and returns their numbers; ids stay resolvable. */
    public synchronized List<Integer> deleteSubject(String subject) {
        var live = liveVersions(subject);
        if (live.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        List<Integer> deleted = new ArrayList<>(live.keySet());
        live.forEach((version, stored) ->
                persistThenApply(new Entry(subject, version, stored.id(), stored.schemaText(), true)));
        return deleted;
    }

    /**
     * Applies a persisted entry without persisting it again: replaying the store's topic from the start rebuilds
     * the same subjects, versions and ids. Idempotent.
     */
    public synchronized void apply(Entry entry) {
        Schema schema = parse(entry.schemaText());
        String normalized = schema.toString();
        textById.putIfAbsent(entry.id(), normalized);
        idByText.putIfAbsent(normalized, entry.id());
        versionsBySubject.computeIfAbsent(entry.subject(), s -> new TreeMap<>())
                .put(entry.version(), new Stored(entry.id(), schema, normalized, entry.deleted()));
    }

    /** 31 bits of the text's SHA-256, never 0, moved to the next number while another text holds it. */
    private int derivedId(String normalized) {
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(normalized.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
        int id = java.nio.ByteBuffer.wrap(digest).getInt() & 0x7fffffff;
        while (id == 0 || textById.containsKey(id)) {
            id = (id + 1) & 0x7fffffff;
        }
        return id;
    }

    private void persistThenApply(Entry entry) {
        try {
            changes.accept(entry);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(500, SchemaRegistryException.STORE_ERROR,
                    "Could not persist version " + entry.version() + " of subject '" + entry.subject() + "': " + e, e);
        }
        apply(entry);
    }

    private NavigableMap<Integer, Stored> liveVersions(String subject) {
        NavigableMap<Integer, Stored> live = new TreeMap<>();
        versionsBySubject.getOrDefault(subject, new TreeMap<>()).forEach((version, stored) -> {
            if (!stored.deleted()) {
                live.put(version, stored);
            }
        });
        return live;
    }

    /** Versions are never reused, not even after a delete, as in Confluent. */
    private int lastVersion(String subject) {
        var all = versionsBySubject.get(subject);
        return all == null || all.isEmpty() ? 0 : all.lastKey();
    }

    private static NavigableMap<Integer, Schema> schemasOf(NavigableMap<Integer, Stored> versions) {
        NavigableMap<Integer, Schema> schemas = new TreeMap<>();
        versions.forEach((version, stored) -> schemas.put(version, stored.schema()));
        return schemas;
    }

    private static SubjectVersion answer(String subject, int version, Stored stored) {
        return new SubjectVersion(subject, version, stored.id(), stored.schemaText());
    }

    /** Parses with a fresh parser (named types must not leak between schemas) and validates defaults. */
    static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw SchemaRegistryException.invalidSchema("empty schema", null);
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (AvroRuntimeException e) { // SchemaParseException and invalid defaults alike
            throw SchemaRegistryException.invalidSchema(e.getMessage(), e);
        }
    }
}
