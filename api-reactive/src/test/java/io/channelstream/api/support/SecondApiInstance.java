package io.channelstream.api.support;

import io.channelstream.api.ChannelstreamApplication;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.LocalTokenIssuer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Another API instance in the same JVM, on a random port, against the same broker, PostgreSQL and Redis
 * as the tests' shared application, as a second instance behind a load balancer would be. It runs no
 * topology (so it never takes stream partitions away from the shared application) and has its own
 * token issuer: use {@link #token} for requests to it.
 */
public final class SecondApiInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SecondApiInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts it; {@code overrides} are extra {@code name=value} properties. */
    public static SecondApiInstance start(String... overrides) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        ApiIntegrationTest.realServers((name, value) -> properties.put(name, value.get()));
        properties.put("server.port", "0");
        properties.put("channelstream.security.local-issuer", "true");
        properties.put("channelstream.streams.topologies", "");
        // it delivers webhooks from the same outbox, so it may reach the tests' local receivers too
        properties.put("channelstream.webhooks.require-https", "false");
        properties.put("channelstream.webhooks.allowed-private-targets", "127.0.0.1/32");
        for (String override : overrides) {
            int eq = override.indexOf('=');
            properties.put(override.substring(0, eq), override.substring(eq + 1));
        }
        // as command-line arguments: they outrank application.yml (default properties would not)
        String[] arguments = properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ChannelstreamApplication.class)
                .run(arguments);
        return new SecondApiInstance(context);
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String token(Caller caller) {
        return context.getBean(LocalTokenIssuer.class).issue(caller);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public WebTestClient web() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port())
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public void close() {
        context.close();
    }
}
