package io.channelstream.api.security;

import io.channelstream.api.config.ChannelstreamProperties;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Every endpoint needs a verified JWT except health and (later) the public trace lookup. The
 * embedded schema registry speaks the Confluent REST API, whose clients authenticate with HTTP
 * basic, so it has a chain of its own with one configured credential.
 */
@Configuration
@EnableWebFluxSecurity
public class SecurityConfig {

    @Bean
    @Order(1)
    SecurityWebFilterChain schemaRegistrySecurity(ServerHttpSecurity http, ChannelstreamProperties properties) {
        ChannelstreamProperties.SchemaRegistry registry = properties.schemaRegistry();
        MapReactiveUserDetailsService registryUsers = new MapReactiveUserDetailsService(User
                .withUsername(registry.username())
                .password("{noop}" + registry.password())
                .roles("SCHEMA_REGISTRY")
                .build());
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/schema-registry", "/schema-registry/**"))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(basic -> basic.authenticationManager(
                        new UserDetailsRepositoryReactiveAuthenticationManager(registryUsers)))
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .authorizeExchange(exchanges -> exchanges.anyExchange().authenticated())
                .build();
    }

    /**
     * No Micrometer observation per security filter and per authorization decision (Spring Security's
     * {@code spring.security.*} observations): on a single-key read they cost as much CPU as the read itself.
     * The request itself is still observed ({@code http.server.requests}); security behaviour is unchanged.
     */
    @Bean
    ObservationPredicate noSecurityFilterObservations() {
        return (name, context) -> !name.startsWith("spring.security.");
    }

    @Bean
    @Order(2)
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, BearerCallers bearerCallers) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                // stateless: every request carries its token. Nothing was ever kept in a web session here, but the
                // default context repository and request cache still opened one per request, and the in-memory
                // session store hops to a bounded-elastic and then a parallel thread to create it: two thread
                // switches per request, for nothing
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // the public trace lookup (a consumer scanning a tin), incl. GS1 Digital Link paths;
                        // rate-limited per client address by RateLimitFilter
                        .pathMatchers(HttpMethod.GET, "/api/public/**", "/01/**").permitAll()
                        .anyExchange().authenticated())
                // the configured decoder (local issuer's key, or the identity provider's) verifies; a token it
                // verified is remembered while valid, so the same token is not verified again on every request
                .oauth2ResourceServer(oauth2 -> oauth2.jwt(jwt -> jwt.jwtDecoder(bearerCallers.decoder())))
                .build();
    }
}
