package io.channelstream.api.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.channelstream.api.config.ChannelstreamProperties;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

/**
 * Local mode's token issuer: an RSA key generated at start signs RS256 tokens, and the decoder
 * verifies exactly those. Production disables it and verifies against the identity provider's
 * public key or JWKS through {@code spring.security.oauth2.resourceserver.jwt.*}; the verification
 * path (RS256 signature, issuer, expiry) is the same code either way.
 */
@Component
@ConditionalOnProperty(name = "channelstream.security.local-issuer", havingValue = "true")
public class LocalTokenIssuer {

    private final RSAPublicKey publicKey;
    private final NimbusJwtEncoder encoder;
    private final ChannelstreamProperties.Security settings;

    public LocalTokenIssuer(ChannelstreamProperties properties) {
        this.settings = properties.security();
        KeyPair keyPair = generateKeyPair();
        this.publicKey = (RSAPublicKey) keyPair.getPublic();
        RSAKey jwk = new RSAKey.Builder(publicKey)
                .privateKey((RSAPrivateKey) keyPair.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .build();
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk)));
    }

    @Bean
    ReactiveJwtDecoder localJwtDecoder() {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(publicKey)
                .signatureAlgorithm(SignatureAlgorithm.RS256)
                .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(settings.localIssuerName()));
        return decoder;
    }

    /** Signs a token for a caller; claims as {@link Caller#from} reads them. */
    public String issue(Caller caller) {
        Instant now = Instant.now();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .issuer(settings.localIssuerName())
                .subject(caller.subject())
                .issuedAt(now)
                .expiresAt(now.plus(settings.localTokenValidity()))
                .claim(Caller.ROLE_CLAIM, caller.role().name());
        if (!caller.regionCodes().isEmpty()) {
            claims.claim(Caller.REGIONS_CLAIM, caller.regionCodes());
        }
        if (caller.dealerId() != null) {
            claims.claim(Caller.DEALER_CLAIM, caller.dealerId());
        }
        if (caller.partnerId() != null) {
            claims.claim(Caller.PARTNER_CLAIM, caller.partnerId());
        }
        if (!caller.dealerIds().isEmpty()) {
            claims.claim(Caller.DEALERS_CLAIM, caller.dealerIds());
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).build();
        return encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
    }

    /** One ready-to-use token per role, for the demo identities of local mode. */
    public Map<String, String> demoTokens() {
        return Map.of(
                "HQ", issue(new Caller("hq-admin", Role.HQ, List.of(), null, null, List.of())),
                "REGIONAL_MANAGER", issue(new Caller("manager-guangdong", Role.REGIONAL_MANAGER,
                        List.of("44"), null, null, List.of())),
                "DEALER", issue(new Caller("dealer-gz-001", Role.DEALER, List.of(), "D-GZ-001", null, List.of())),
                "PARTNER", issue(new Caller("wms-south", Role.PARTNER, List.of("44"), null, "P-WMS-SOUTH",
                        List.of())));
    }

    private static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is missing from this JVM", e);
        }
    }
}
