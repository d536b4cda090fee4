package io.channelstream.api.idempotency;

/**
 * What Redis holds for one {@code Idempotency-Key}: first that a request claimed it, then its answer.
 *
 * @param fingerprint SHA-256 of method, path, query and body: a different request under the same key is refused
 * @param body        the answer's body, Base64
 */
record StoredCommand(String state, String fingerprint, int status, String contentType, String location,
                     String body) {

    static final String IN_FLIGHT = "IN_FLIGHT";
    static final String COMPLETED = "COMPLETED";

    static StoredCommand inFlight(String fingerprint) {
        return new StoredCommand(IN_FLIGHT, fingerprint, 0, null, null, null);
    }
}
