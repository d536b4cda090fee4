package io.channelstream.api;

import io.channelstream.api.local.LocalInfrastructureListener;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ChannelstreamApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The application with local mode wired in: embedded servers start before any bean needs them. */
    public static SpringApplication application(Class<?>... extraSources) {
        Class<?>[] sources = new Class<?>[extraSources.length + 1];
        sources[0] = ChannelstreamApplication.class;
        System.arraycopy(extraSources, 0, sources, 1, extraSources.length);
        SpringApplication application = new SpringApplication(sources);
        application.addListeners(new LocalInfrastructureListener());
        return application;
    }
}
