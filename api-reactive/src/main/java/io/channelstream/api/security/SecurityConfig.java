package io.channelstream.api.security;

import io.channelstream.api.config.ChannelstreamProperties;
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

    @Bean
    @Order(2)
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // the public trace lookup (a consumer scanning a tin), incl. GS1 Digital Link paths;
                        // rate-limited per client address by RateLimitFilter
                        .pathMatchers(HttpMethod.GET, "/api/public/**", "/01/**").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(oauth2 -> oauth2.jwt(jwt -> { }))
                .build();
    }
}
