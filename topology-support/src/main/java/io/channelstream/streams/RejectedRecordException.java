package io.channelstream.streams;

/**
 * A fact a topology read but refuses to apply (a negative quantity, an unknown location...). It is
 * routed to the dead-letter topic with {@link #field()} and {@link #reason()} in the headers, and
 * the stream carries on.
 */
public class RejectedRecordException extends RuntimeException {

    private final String field;
    private final String reason;

    public RejectedRecordException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
