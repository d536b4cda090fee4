package io.channelstream.api.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * For several app instances in one test JVM: each gets its own Reactor Netty event loops and
 * connection pool, so stopping one instance does not dispose the global resources the others'
 * servers run on (in production each instance is its own JVM).
 */
@TestConfiguration(proxyBeanMethods = false)
public class IsolatedNettyResources {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }
}
