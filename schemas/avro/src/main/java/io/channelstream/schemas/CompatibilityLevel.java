package io.channelstream.schemas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NavigableMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * Confluent's compatibility levels. BACKWARD: consumers on the new schema read data written with the old one
 * (upgrade consumers first). FORWARD: old consumers read new data. FULL: both. TRANSITIVE: against every earlier
 * version, not only the latest.
 */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /**
     * What stops {@code candidate} from following {@code earlierByVersion} (version number to schema) under this
     * level; empty when it may. Non-transitive levels look at the highest version only.
     */
    public List<String> incompatibilities(Schema candidate, NavigableMap<Integer, Schema> earlierByVersion) {
        if (this == NONE || earlierByVersion.isEmpty()) {
            return List.of();
        }
        NavigableMap<Integer, Schema> checked = transitive
                ? earlierByVersion
                : earlierByVersion.tailMap(earlierByVersion.lastKey(), true);
        List<String> problems = new ArrayList<>();
        checked.forEach((version, earlier) -> {
            if (newReadsOld) {
                readerCannotRead(candidate, earlier).forEach(p -> problems.add(
                        "new schema cannot read version " + version + ": " + p));
            }
            if (oldReadsNew) {
                readerCannotRead(earlier, candidate).forEach(p -> problems.add(
                        "version " + version + " cannot read the new schema: " + p));
            }
        });
        return problems;
    }

    /** Avro's schema-resolution verdict, one line per incompatibility: kind, location and message. */
    public static List<String> readerCannotRead(Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        List<String> problems = new ArrayList<>();
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            problems.add(incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage());
        }
        return problems;
    }

    /** Parses a level as the REST API spells it ({@code "BACKWARD"}, case-insensitive). */
    public static CompatibilityLevel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                    "Invalid compatibility level '" + text + "'; expected one of "
                            + Arrays.toString(values()), e);
        }
    }
}
