package io.channelstream.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Test-only HTTP front of a {@link SchemaStore} speaking the Confluent REST endpoints the client uses, under a
 * path prefix and behind basic auth. It records every request so tests can prove what the client cached.
 */
final class ConfluentRegistryStub implements AutoCloseable {

    static final String PREFIX = "/schema-registry";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaStore store;
    private final String expectedAuthorization;
    private final HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    ConfluentRegistryStub(SchemaStore store, String expectedAuthorization) throws IOException {
        this.store = store;
        this.expectedAuthorization = expectedAuthorization;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PREFIX);
    }

    /** "METHOD /path" of every request received, in order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String rawPath = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
        requests.add(method + " " + rawPath);
        try {
            if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                respond(exchange, 401, error(401, "Unauthorized"));
                return;
            }
            respond(exchange, 200, route(method, segments(rawPath), exchange));
        } catch (SchemaRegistryException e) {
            respond(exchange, e.httpStatus(), error(e.errorCode(), e.registryMessage()));
        }
    }

    private JsonNode route(String method, List<String> path, HttpExchange exchange) throws IOException {
        if (method.equals("GET") && path.equals(List.of("subjects"))) {
            return JSON.valueToTree(store.subjects());
        }
        if (method.equals("GET") && path.size() == 3 && path.get(0).equals("schemas") && path.get(1).equals("ids")) {
            return JSON.createObjectNode().put("schema", store.schemaById(Integer.parseInt(path.get(2))));
        }
        if (method.equals("POST") && path.size() == 3 && path.get(0).equals("subjects")
                && path.get(2).equals("versions")) {
            return JSON.createObjectNode().put("id", store.register(path.get(1), schemaOf(exchange)));
        }
        if (method.equals("POST") && path.size() == 2 && path.get(0).equals("subjects")) {
            var found = store.lookup(path.get(1), schemaOf(exchange));
            return JSON.createObjectNode().put("subject", found.subject()).put("id", found.id())
                    .put("version", found.version()).put("schema", found.schemaText());
        }
        if (method.equals("POST") && path.size() == 5 && path.get(0).equals("compatibility")) {
            boolean compatible = store.isCompatible(path.get(2), schemaOf(exchange), path.get(4));
            return JSON.createObjectNode().put("is_compatible", compatible);
        }
        throw new SchemaRegistryException(404, 404, "HTTP 404 Not Found");
    }

    private static String schemaOf(HttpExchange exchange) throws IOException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (!RestSchemaRegistryClient.CONTENT_TYPE.equals(contentType)) {
            throw new SchemaRegistryException(415, 415, "unsupported content type " + contentType);
        }
        return JSON.readTree(exchange.getRequestBody()).path("schema").asText();
    }

    private static List<String> segments(String rawPath) {
        return Arrays.stream(rawPath.split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8))
                .toList();
    }

    private static ObjectNode error(int errorCode, String message) {
        return JSON.createObjectNode().put("error_code", errorCode).put("message", message);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
