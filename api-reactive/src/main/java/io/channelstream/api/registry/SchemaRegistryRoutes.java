package io.channelstream.api.registry;

import io.channelstream.schemas.CompatibilityLevel;
import io.channelstream.schemas.SchemaRegistryException;
import io.channelstream.schemas.SchemaStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The subset of the Confluent Schema Registry REST API that Kafka serdes and their tools use,
 * served by the embedded registry at {@code /schema-registry}. Any Confluent-compatible client
 * (Java, Node, Python) pointed at {@code http://host:port/schema-registry} works unchanged.
 * The store's calls may write to Kafka, so they run on the bounded elastic scheduler, never on the
 * event loop.
 */
@Configuration
@ConditionalOnExpression("'${channelstream.schema-registry.url:}'.isEmpty()")
public class SchemaRegistryRoutes {

    static final MediaType REGISTRY_JSON = MediaType.parseMediaType("application/vnd.schemaregistry.v1+json");
    private static final String BASE = "/schema-registry";

    @Bean
    RouterFunction<ServerResponse> schemaRegistryRouter(SchemaRegistryConfig.EmbeddedRegistryHolder holder) {
        SchemaStore store = holder.registry().store();
        return route()
                .GET(BASE + "/subjects", request -> answer(store::subjects))
                .GET(BASE + "/subjects/{subject}/versions", request ->
                        answer(() -> store.versions(request.pathVariable("subject"))))
                .GET(BASE + "/subjects/{subject}/versions/{version}", request ->
                        answer(() -> versionBody(store.version(request.pathVariable("subject"),
                                request.pathVariable("version")))))
                .GET(BASE + "/subjects/{subject}/versions/{version}/schema", request ->
                        answer(() -> store.version(request.pathVariable("subject"),
                                request.pathVariable("version")).schemaText()))
                .POST(BASE + "/subjects/{subject}/versions", request -> schemaText(request)
                        .flatMap(schema -> answer(() -> Map.of("id",
                                store.register(request.pathVariable("subject"), schema)))))
                .POST(BASE + "/subjects/{subject}", request -> schemaText(request)
                        .flatMap(schema -> answer(() -> versionBody(
                                store.lookup(request.pathVariable("subject"), schema)))))
                .DELETE(BASE + "/subjects/{subject}", request ->
                        answer(() -> store.deleteSubject(request.pathVariable("subject"))))
                .GET(BASE + "/schemas/ids/{id}", request ->
                        answer(() -> Map.of("schema", store.schemaById(id(request)))))
                .GET(BASE + "/schemas/ids/{id}/schema", request -> answer(() -> store.schemaById(id(request))))
                .POST(BASE + "/compatibility/subjects/{subject}/versions/{version}", request -> schemaText(request)
                        .flatMap(schema -> answer(() -> compatibilityBody(store, request, schema))))
                .GET(BASE + "/config", request ->
                        answer(() -> Map.of("compatibilityLevel", store.compatibility().name())))
                .PUT(BASE + "/config", request -> level(request)
                        .flatMap(level -> answer(() -> {
                            store.setCompatibility(level);
                            return Map.of("compatibility", level.name());
                        })))
                .GET(BASE + "/config/{subject}", request -> answer(() -> Map.of("compatibilityLevel",
                        store.compatibility(request.pathVariable("subject")).name())))
                .PUT(BASE + "/config/{subject}", request -> level(request)
                        .flatMap(level -> answer(() -> {
                            store.setCompatibility(request.pathVariable("subject"), level);
                            return Map.of("compatibility", level.name());
                        })))
                .onError(SchemaRegistryException.class, (e, request) -> error((SchemaRegistryException) e))
                .build();
    }

    private static Map<String, Object> versionBody(SchemaStore.SubjectVersion version) {
        return Map.of("subject", version.subject(), "version", version.version(), "id", version.id(),
                "schema", version.schemaText());
    }

    private static Map<String, Object> compatibilityBody(SchemaStore store, ServerRequest request, String schema) {
        String subject = request.pathVariable("subject");
        String version = request.pathVariable("version");
        boolean compatible = store.isCompatible(subject, schema, version);
        if (request.queryParam("verbose").map(Boolean::parseBoolean).orElse(false)) {
            List<String> messages = compatible ? List.of() : store.incompatibilities(subject, schema);
            return Map.of("is_compatible", compatible, "messages", messages);
        }
        return Map.of("is_compatible", compatible);
    }

    private static int id(ServerRequest request) {
        try {
            return Integer.parseInt(request.pathVariable("id"));
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                    "Schema " + request.pathVariable("id") + " not found");
        }
    }

    @SuppressWarnings("unchecked")
    private static Mono<String> schemaText(ServerRequest request) {
        return request.bodyToMono(Map.class)
                .map(body -> {
                    Object type = body.get("schemaType");
                    if (type != null && !"AVRO".equalsIgnoreCase(type.toString())) {
                        throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
                                "only AVRO schemas are served here, not " + type);
                    }
                    Object schema = body.get("schema");
                    if (schema == null) {
                        throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
                                "the body has no 'schema' field");
                    }
                    return schema.toString();
                })
                .switchIfEmpty(Mono.error(() -> new SchemaRegistryException(422,
                        SchemaRegistryException.INVALID_SCHEMA, "empty body")));
    }

    @SuppressWarnings("unchecked")
    private static Mono<CompatibilityLevel> level(ServerRequest request) {
        return request.bodyToMono(Map.class).map(body -> {
            Object level = body.get("compatibility");
            try {
                return CompatibilityLevel.valueOf(String.valueOf(level).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL,
                        "unknown compatibility level " + level);
            }
        });
    }

    /** Runs a store call off the event loop and turns registry errors into Confluent's error body. */
    private static Mono<ServerResponse> answer(Callable<Object> call) {
        return Mono.fromCallable(call)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(body -> ServerResponse.ok().contentType(REGISTRY_JSON).bodyValue(body))
                .onErrorResume(SchemaRegistryException.class, SchemaRegistryRoutes::error);
    }

    private static Mono<ServerResponse> error(SchemaRegistryException e) {
        HttpStatus status = HttpStatus.resolve(e.httpStatus());
        return ServerResponse.status(status != null ? status : HttpStatus.INTERNAL_SERVER_ERROR)
                .contentType(REGISTRY_JSON)
                .bodyValue(Map.of("error_code", e.errorCode(), "message", String.valueOf(e.getMessage())));
    }
}
