package io.channelstream.api.subscriptions;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code GS1-Signature} header of a webhook. EPCIS 2.0 has the server sign every subscription
 * delivery into that header with the subscriber's {@code signatureToken} and leaves the scheme to the
 * implementation (HMAC-SHA256 or JWS). Ours: {@code GS1-Signature: t=<unix seconds>,hmac-sha256=<Base64 of
 * HMAC-SHA256(secret, "<t>." + body)>}. The timestamp is inside the signed bytes, so a captured delivery
 * cannot be replayed later with a fresh timestamp; a receiver recomputes the HMAC over the raw body,
 * compares in constant time, and refuses a {@code t} older than its tolerance (we suggest 5 minutes).
 */
public final class WebhookSignature {

    public static final String HEADER = "GS1-Signature";
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {
    }

    public static String header(String secret, long epochSeconds, String body) {
        return "t=" + epochSeconds + ",hmac-sha256=" + hmac(secret, epochSeconds + "." + body);
    }

    /** The header for a body already encoded as UTF-8 bytes (what is sent), without copying it into a string. */
    public static String header(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return "t=" + epochSeconds + ",hmac-sha256=" + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 refused the secret", e);
        }
    }

    public static String hmac(String secret, String signed) {
        try {
            Mac mac = MACS.get();
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 refused the secret", e);
        }
    }

    /** A Mac per thread: looking the algorithm up costs more than the HMAC of a small body; init resets it. */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    });
}
