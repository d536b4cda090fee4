package io.channelstream.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * Remembering verified tokens accepts exactly what the real decoder accepts: the same token text while it
 * is valid, and nothing else; expired, refused or altered tokens go to the decoder, which refuses them.
 */
class VerifiedTokensTest {

    private static final KeyPair ISSUER = rsa();
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicInteger verifications = new AtomicInteger();
    private final VerifiedTokens tokens = new VerifiedTokens(counting(realDecoder()), clock);

    @Test
    void theSameValidTokenIsVerifiedOnce() throws Exception {
        String token = token(ISSUER, NOW.plusSeconds(600));

        Jwt first = tokens.decode(token).block();
        Jwt again = tokens.decode(token).block();

        assertThat(again.getSubject()).isEqualTo("hq").isEqualTo(first.getSubject());
        assertThat(verifications).hasValue(1);
    }

    @Test
    void aRememberedTokenThatExpiredIsRefusedAsTheDecoderRefusesIt() throws Exception {
        String token = token(ISSUER, NOW.plusSeconds(600));
        tokens.decode(token).block();

        clock.now = NOW.plusSeconds(600 + 61); // past expiry and the decoder's 60 s of clock skew

        assertThatThrownBy(() -> tokens.decode(token).block()).isInstanceOf(JwtException.class);
        assertThat(verifications).as("asked the decoder again").hasValue(2);
    }

    @Test
    void aTokenTheDecoderRefusedIsNeverRemembered() throws Exception {
        String forged = token(rsa(), NOW.plusSeconds(600));

        assertThatThrownBy(() -> tokens.decode(forged).block()).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> tokens.decode(forged).block()).isInstanceOf(JwtException.class);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aTokenAlteredAfterAValidOneWasRememberedIsVerifiedAndRefused() throws Exception {
        String token = token(ISSUER, NOW.plusSeconds(600));
        tokens.decode(token).block();
        String[] parts = token.split("\\.");
        String altered = parts[0] + "." + token(ISSUER, NOW.plusSeconds(900)).split("\\.")[1] + "." + parts[2];

        assertThatThrownBy(() -> tokens.decode(altered).block()).isInstanceOf(JwtException.class);
    }

    private ReactiveJwtDecoder counting(ReactiveJwtDecoder decoder) {
        return token -> Mono.defer(() -> {
            verifications.incrementAndGet();
            return decoder.decode(token);
        });
    }

    private NimbusReactiveJwtDecoder realDecoder() {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey((RSAPublicKey) ISSUER.getPublic())
                .signatureAlgorithm(SignatureAlgorithm.RS256).build();
        JwtTimestampValidator expiry = new JwtTimestampValidator(Duration.ofSeconds(60));
        expiry.setClock(clock);
        decoder.setJwtValidator(expiry);
        return decoder;
    }

    private static String token(KeyPair signer, Instant expiresAt) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .subject("hq").claim(Caller.ROLE_CLAIM, "HQ")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(expiresAt)).build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) signer.getPrivate()));
        return jwt.serialize();
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock the test moves; the decoder's expiry check and the remembering read the same one. */
    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
