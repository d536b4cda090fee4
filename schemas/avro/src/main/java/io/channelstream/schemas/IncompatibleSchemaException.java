package io.channelstream.schemas;

import java.util.List;

/** A new schema version breaks the subject's compatibility level (Confluent answers 409). */
public class IncompatibleSchemaException extends SchemaRegistryException {

    private final String subject;
    private final List<String> incompatibilities;

    public IncompatibleSchemaException(String subject, CompatibilityLevel level, List<String> incompatibilities) {
        super(409, INCOMPATIBLE_SCHEMA, "Schema being registered is incompatible with an earlier schema for subject '"
                + subject + "' (" + level + "): " + String.join("; ", incompatibilities));
        this.subject = subject;
        this.incompatibilities = List.copyOf(incompatibilities);
    }

    public String subject() {
        return subject;
    }

    /** One line per problem: which version, what kind of incompatibility, where in the schema. */
    public List<String> incompatibilities() {
        return incompatibilities;
    }
}
