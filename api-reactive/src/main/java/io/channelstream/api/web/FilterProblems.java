package io.channelstream.api.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * Refusals written by web filters, which run outside the controllers' {@link ApiErrorHandler}, in the
 * same shape: {@code {"status", "error", "message", "fields": [{"field","reason"}]}}.
 */
public final class FilterProblems {

    private FilterProblems() {
    }

    public static Mono<Void> write(ServerHttpResponse response, ObjectMapper json, HttpStatus status, String message,
                                   List<FieldProblem> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", status.getReasonPhrase());
        body.put("message", message);
        body.put("fields", problems);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] bytes = json.writeValueAsBytes(body);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }
}
