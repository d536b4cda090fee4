package io.channelstream.api.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.channelstream.api.support.ApiIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Production mode's verification: no local issuer; tokens are RS256-verified against the identity
 * provider's public key given by {@code spring.security.oauth2.resourceserver.jwt.public-key-location}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "30s")
class ProductionJwtVerificationTest {

    private static final KeyPair IDENTITY_PROVIDER = rsa();
    private static final KeyPair SOMEONE_ELSE = rsa();

    @Autowired
    WebTestClient web;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        ApiIntegrationTest.realServers(registry);
        Path publicKey = Files.createTempFile("idp-public", ".pem");
        Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(IDENTITY_PROVIDER.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        registry.add("channelstream.security.local-issuer", () -> "false");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> "file:" + publicKey);
    }

    @Test
    void aTokenSignedByTheConfiguredIdentityProviderIsAccepted() throws Exception {
        String token = token(IDENTITY_PROVIDER);
        web.get().uri("/api/master/locations/{id}", "NO-SUCH-LOCATION")
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus().isNotFound(); // authenticated: the location simply does not exist
    }

    @Test
    void aTokenSignedByAnyOtherKeyIsRefused() throws Exception {
        String token = token(SOMEONE_ELSE);
        web.get().uri("/api/master/locations/{id}", "NO-SUCH-LOCATION")
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus().isUnauthorized();
    }

    private static String token(KeyPair signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .subject("hq-from-idp")
                .claim(Caller.ROLE_CLAIM, "HQ")
                .claim(Caller.REGIONS_CLAIM, List.of())
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .build());
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
}
