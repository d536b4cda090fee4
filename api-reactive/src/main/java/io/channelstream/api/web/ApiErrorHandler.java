package io.channelstream.api.web;

import io.channelstream.api.security.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.codec.DecodingException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ServerWebInputException;
import tools.jackson.core.JacksonException;

/**
 * Every refusal has the same shape: {@code {"status", "error", "message", "fields": [{"field","reason"}]}},
 * so a dealer's system can show the user exactly which field to fix.
 */
@RestControllerAdvice
public class ApiErrorHandler {

    /** The API's own refusals (400/422, 403, 404, 503), in the shape {@link ApiProblem} gives them. */
    @ExceptionHandler({BadRequestException.class, ForbiddenException.class, Caller.InvalidCallerException.class,
            NotFoundException.class, UnavailableException.class})
    ResponseEntity<Map<String, Object>> refused(RuntimeException e) {
        ApiProblem problem = ApiProblem.of(e);
        HttpHeaders headers = null;
        if (problem.retryAfterSeconds() != null) {
            headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, problem.retryAfterSeconds());
        }
        return body(problem.status(), problem.message(), problem.fields(), headers);
    }

    @ExceptionHandler(WebExchangeBindException.class)
    ResponseEntity<Map<String, Object>> invalid(WebExchangeBindException e) {
        List<FieldProblem> problems = new ArrayList<>();
        for (FieldError error : e.getFieldErrors()) {
            problems.add(new FieldProblem(error.getField(), error.getDefaultMessage()));
        }
        e.getGlobalErrors().forEach(error -> problems.add(new FieldProblem(error.getObjectName(),
                error.getDefaultMessage())));
        return body(HttpStatus.BAD_REQUEST, "the request body is invalid", problems, null);
    }

    /** Unparseable JSON, a wrong type or an unknown enum value: name the field Jackson choked on. */
    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Map<String, Object>> unreadable(ServerWebInputException e) {
        JacksonException jackson = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException found) {
                jackson = found;
            }
        }
        if (jackson != null && !jackson.getPath().isEmpty()) {
            String field = jackson.getPath().stream()
                    .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return body(HttpStatus.BAD_REQUEST, "the request body is not readable",
                    List.of(new FieldProblem(field, jackson.getOriginalMessage())), null);
        }
        if (jackson != null || e.getCause() instanceof DecodingException) {
            return body(HttpStatus.BAD_REQUEST, "the request body is not readable",
                    List.of(new FieldProblem("body", rootMessage(e))), null);
        }
        return body(HttpStatus.BAD_REQUEST, e.getReason(), List.of(), null);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    private static ResponseEntity<Map<String, Object>> body(
            HttpStatus status, String message, List<FieldProblem> problems, HttpHeaders headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", status.getReasonPhrase());
        body.put("message", message);
        body.put("fields", problems);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        if (headers != null) {
            response.headers(headers);
        }
        return response.body(body);
    }
}
