package io.channelstream.api.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.channelstream.api.security.Caller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Stands in for the production identity provider: an RSA key pair whose public half is written as
 * a PEM file for {@code spring.security.oauth2.resourceserver.jwt.public-key-location}, so several
 * app instances verify the same tokens, as they do behind one IdP in production.
 */
public final class TestIdentityProvider {

    private final KeyPair keys;
    private final Path publicKeyPem;

    public TestIdentityProvider() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            publicKeyPem = Files.createTempFile("idp-public", ".pem");
            Files.writeString(publicKeyPem, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value for {@code spring.security.oauth2.resourceserver.jwt.public-key-location}. */
    public String publicKeyLocation() {
        return "file:" + publicKeyPem;
    }

    public String token(Caller caller) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(caller.subject())
                .claim(Caller.ROLE_CLAIM, caller.role().name())
                .claim(Caller.REGIONS_CLAIM, caller.regionCodes())
                .claim(Caller.DEALERS_CLAIM, caller.dealerIds())
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(3600)));
        if (caller.dealerId() != null) {
            claims.claim(Caller.DEALER_CLAIM, caller.dealerId());
        }
        if (caller.partnerId() != null) {
            claims.claim(Caller.PARTNER_CLAIM, caller.partnerId());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
