package io.channelstream.infra;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/** The only class that touches Testcontainers; it is loaded only after Docker answered. */
final class TestcontainersSupport {

    private TestcontainersSupport() {
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** A started PostgreSQL container and the address it answers on; close stops it. */
    static ProvidedPostgres startPostgres(String image, String database, String why) {
        PostgreSQLContainer container = new PostgreSQLContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("postgres"))
                .withDatabaseName(database)
                .withUsername("channelstream")
                .withPassword("channelstream");
        container.start();
        PostgresEndpoint endpoint = new PostgresEndpoint(container.getHost(),
                container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT), database,
                container.getUsername(), container.getPassword());
        return new ProvidedPostgres(endpoint, Source.TESTCONTAINERS, why, container::stop);
    }

    /** A started Redis container; close stops it. */
    static ProvidedRedis startRedis(String image, String why) {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(6379)
                .withCommand("redis-server", "--save", "", "--appendonly", "no");
        container.start();
        RedisEndpoint endpoint = new RedisEndpoint(container.getHost(), container.getMappedPort(6379), null);
        return new ProvidedRedis(endpoint, Source.TESTCONTAINERS, why, container::stop);
    }
}
