package io.channelstream.schemas;

/**
 * A schema registry said no, or could not be asked. Carries the HTTP status and Confluent's {@code error_code}
 * so the local registry endpoint can answer with the same body a Confluent registry would, and callers can
 * tell "not found" from "registry down".
 */
public class SchemaRegistryException extends RuntimeException {

    // Confluent Schema Registry error codes (the REST API's "error_code").
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    public static final int STORE_ERROR = 50001;
    /** No HTTP answer at all (connection refused, timeout, interrupted). */
    public static final int NO_RESPONSE = 0;

    private final int httpStatus;
    private final int errorCode;
    private final String registryMessage;

    public SchemaRegistryException(int httpStatus, int errorCode, String registryMessage) {
        this(httpStatus, errorCode, registryMessage, null);
    }

    public SchemaRegistryException(int httpStatus, int errorCode, String registryMessage, Throwable cause) {
        super(describe(httpStatus, errorCode, registryMessage), cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
        this.registryMessage = registryMessage;
    }

    static SchemaRegistryException subjectNotFound(String subject) {
        return new SchemaRegistryException(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static SchemaRegistryException versionNotFound(String subject, int version) {
        return new SchemaRegistryException(404, VERSION_NOT_FOUND,
                "Version " + version + " not found under subject '" + subject + "'.");
    }

    static SchemaRegistryException schemaNotFound(String what) {
        return new SchemaRegistryException(404, SCHEMA_NOT_FOUND, "Schema not found: " + what + ".");
    }

    static SchemaRegistryException invalidSchema(String reason, Throwable cause) {
        return new SchemaRegistryException(422, INVALID_SCHEMA, "Invalid schema: " + reason, cause);
    }

    /** HTTP status of the answer, or 0 when none was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent's {@code error_code}, or the HTTP status when the body carried none. */
    public int errorCode() {
        return errorCode;
    }

    /** The registry's own message (the REST body's {@code message}). */
    public String registryMessage() {
        return registryMessage;
    }

    /** True when the registry has no schema with the asked id (or, for a lookup, under the asked subject). */
    public boolean isSchemaNotFound() {
        return errorCode == SCHEMA_NOT_FOUND;
    }

    private static String describe(int httpStatus, int errorCode, String message) {
        String status = httpStatus == NO_RESPONSE ? "no HTTP response" : "HTTP " + httpStatus;
        return status + ", error_code " + errorCode + ": " + message;
    }
}
