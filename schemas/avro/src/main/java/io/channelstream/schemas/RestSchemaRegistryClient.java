package io.channelstream.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client of the Confluent Schema Registry REST API (also spoken by Karapace, Apicurio ccompat, Redpanda and the
 * app's own endpoint). Ids and lookups are cached: a schema id never changes meaning, so after the first call
 * the serdes make no HTTP request. Calls block (java.net.http, synchronous).
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private record SubjectSchema(String subject, Schema schema) {
    }

    private final HttpClient http;
    private final String baseUrl;
    private final String authorization;
    private final Duration requestTimeout;
    private final Map<SubjectSchema, Integer> idBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(URI baseUrl) {
        this(baseUrl, null, null);
    }

    /** With HTTP basic credentials; {@code username == null} means none. */
    public RestSchemaRegistryClient(URI baseUrl, String username, String password) {
        this(HttpClient.newBuilder().connectTimeout(DEFAULT_TIMEOUT).build(), baseUrl, username, password,
                DEFAULT_TIMEOUT);
    }

    /**
     * @param baseUrl may carry a path prefix, e.g. {@code http://host:8080/schema-registry}
     */
    public RestSchemaRegistryClient(HttpClient http, URI baseUrl, String username, String password,
            Duration requestTimeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl").toString().replaceAll("/+$", "");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.authorization = username == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + Objects.requireNonNullElse(password, "")).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int register(String subject, Schema schema) {
        var key = new SubjectSchema(subject, schema);
        Integer cached = idBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", path("subjects", subject, "versions"), schemaBody(schema));
        return remember(key, requiredInt(answer, "id"));
    }

    @Override
    public int idOf(String subject, Schema schema) {
        var key = new SubjectSchema(subject, schema);
        Integer cached = idBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("POST", path("subjects", subject), schemaBody(schema));
        return remember(key, requiredInt(answer, "id"));
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemaById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", path("schemas", "ids", Integer.toString(id)), null);
        String schemaType = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(schemaType)) {
            throw SchemaRegistryException.invalidSchema("schema id " + id + " is " + schemaType + ", not AVRO", null);
        }
        Schema schema = SchemaStore.parse(requiredText(answer, "schema"));
        Schema raced = schemaById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        JsonNode answer = send("POST", path("compatibility", "subjects", subject, "versions", "latest"),
                schemaBody(schema));
        JsonNode verdict = answer.get("is_compatible");
        if (verdict == null || !verdict.isBoolean()) {
            throw unexpectedBody("is_compatible", answer);
        }
        return verdict.booleanValue();
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = send("GET", path("subjects"), null);
        if (!answer.isArray()) {
            throw unexpectedBody("a JSON array of subjects", answer);
        }
        List<String> subjects = new ArrayList<>();
        answer.forEach(node -> subjects.add(node.asText()));
        return List.copyOf(subjects);
    }

    private int remember(SubjectSchema key, int id) {
        idBySubjectSchema.put(key, id);
        schemaById.putIfAbsent(id, key.schema());
        return id;
    }

    private JsonNode send(String method, String path, String body) {
        URI uri = URI.create(baseUrl + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", ACCEPT)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(SchemaRegistryException.NO_RESPONSE, SchemaRegistryException.NO_RESPONSE,
                    method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(SchemaRegistryException.NO_RESPONSE, SchemaRegistryException.NO_RESPONSE,
                    method + " " + uri + " interrupted", e);
        }
        if (response.statusCode() / 100 != 2) {
            throw errorOf(method, uri, response);
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(response.statusCode(), response.statusCode(),
                    method + " " + uri + " answered with a body that is not JSON: " + abbreviate(response.body()), e);
        }
    }

    /** Confluent error bodies are {"error_code": 40403, "message": "..."}; proxies may send anything. */
    private static SchemaRegistryException errorOf(String method, URI uri, HttpResponse<String> response) {
        int status = response.statusCode();
        int errorCode = status;
        String message = abbreviate(response.body());
        try {
            JsonNode body = JSON.readTree(response.body());
            if (body != null && body.isObject()) {
                errorCode = body.path("error_code").asInt(status);
                message = body.path("message").asText(message);
            }
        } catch (JsonProcessingException notJson) {
            // keep the raw body as the message
        }
        return new SchemaRegistryException(status, errorCode, message + " (" + method + " " + uri + ")");
    }

    private String path(String... segments) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            // URLEncoder is for forms: a space becomes '+', which in a path must be %20
            path.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static int requiredInt(JsonNode answer, String field) {
        JsonNode node = answer.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw unexpectedBody("an integer '" + field + "'", answer);
        }
        return node.intValue();
    }

    private static String requiredText(JsonNode answer, String field) {
        JsonNode node = answer.get(field);
        if (node == null || !node.isTextual()) {
            throw unexpectedBody("a string '" + field + "'", answer);
        }
        return node.textValue();
    }

    private static SchemaRegistryException unexpectedBody(String expected, JsonNode answer) {
        return new SchemaRegistryException(200, 200, "expected " + expected + " in the registry's answer, got "
                + abbreviate(answer.toString()));
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
