package io.channelstream.api.local;

import io.channelstream.api.config.ChannelstreamProperties;
import io.channelstream.api.masterdata.Location;
import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.security.LocalTokenIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;

/**
 * What a newcomer needs once local mode is up: a few demo locations to post stock to, and a
 * ready-to-use token per role (also written to {@code .channelstream/tokens.env}).
 */
@Component
@ConditionalOnProperty(name = "channelstream.local.enabled", havingValue = "true")
public class LocalModeWelcome implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(LocalModeWelcome.class);

    /** Demo network: the brand's central warehouse, a regional warehouse, a dealer depot and a store. */
    static final List<Location> DEMO_LOCATIONS = List.of(
            new Location("WH-CENTRAL", "Central warehouse (Shanghai)", "CENTRAL_WAREHOUSE", "310115",
                    31.221, 121.544, null, null, 5000),
            new Location("WH-SOUTH", "South regional warehouse (Guangzhou)", "REGIONAL_WAREHOUSE", "440113",
                    22.937, 113.384, "WH-CENTRAL", null, 2000),
            new Location("DL-GZ-001", "Dealer depot, Tianhe (Guangzhou)", "DEALER", "440106",
                    23.125, 113.361, "WH-SOUTH", "D-GZ-001", 200),
            new Location("ST-GZ-001", "Core store, Yuexiu (Guangzhou)", "STORE", "440104",
                    23.129, 113.267, "DL-GZ-001", "D-GZ-001", 40));

    private final LocationDirectory locations;
    private final ChannelstreamProperties properties;
    private final LocalTokenIssuer tokens;

    public LocalModeWelcome(LocationDirectory locations, ChannelstreamProperties properties,
                            org.springframework.beans.factory.ObjectProvider<LocalTokenIssuer> tokens) {
        this.locations = locations;
        this.properties = properties;
        this.tokens = tokens.getIfAvailable();
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Flux.fromIterable(DEMO_LOCATIONS)
                .concatMap(location -> locations.upsert(location, "local-demo"))
                .then()
                .block(Duration.ofSeconds(30)); // start-up thread, before any request is served
        log.info("local mode: demo locations {}", DEMO_LOCATIONS.stream().map(Location::locationId).toList());
        if (tokens != null) {
            printTokens(tokens.demoTokens());
        }
    }

    private void printTokens(Map<String, String> byRole) {
        StringBuilder env = new StringBuilder();
        StringBuilder banner = new StringBuilder("\n\nChannelstream local mode is up. Tokens (valid "
                + properties.security().localTokenValidity() + "):\n");
        new TreeMap<>(byRole).forEach((role, token) -> {
            env.append("TOKEN_").append(role).append('=').append(token).append('\n');
            banner.append("  ").append(role).append(": ").append(token).append('\n');
        });
        Path file = properties.local().dataDir().resolve("tokens.env");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, env.toString());
            banner.append("Also in ").append(file.toAbsolutePath()).append(" (source it: `. ").append(file)
                    .append("`).\n");
        } catch (IOException e) {
            log.warn("could not write {}: {}", file, e.getMessage());
        }
        log.info(banner.toString());
    }
}
