package io.channelstream.api.web;

import io.channelstream.api.security.Caller;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A refusal the API gives in its one shape, {@code {"status", "error", "message", "fields"}}, with
 * {@code Retry-After} when it is a 503. {@link ApiErrorHandler} and the lean read paths both answer from it, so
 * a refusal reads the same whichever path served the request.
 *
 * @param retryAfter only for 503, else null
 */
public record ApiProblem(HttpStatus status, String message, List<FieldProblem> fields, Duration retryAfter) {

    /** The problem a known refusal stands for, or null when {@code failure} is not one of the API's refusals. */
    public static ApiProblem of(Throwable failure) {
        if (failure instanceof BadRequestException e) {
            return new ApiProblem(HttpStatus.valueOf(e.status()), "the request was refused", e.problems(), null);
        }
        if (failure instanceof ForbiddenException || failure instanceof Caller.InvalidCallerException) {
            return new ApiProblem(HttpStatus.FORBIDDEN, failure.getMessage(), List.of(), null);
        }
        if (failure instanceof NotFoundException) {
            return new ApiProblem(HttpStatus.NOT_FOUND, failure.getMessage(), List.of(), null);
        }
        if (failure instanceof UnavailableException e) {
            return new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage(), List.of(), e.retryAfter());
        }
        return null;
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.value());
        body.put("error", status.getReasonPhrase());
        body.put("message", message);
        body.put("fields", fields);
        return body;
    }

    /** Whole seconds, at least 1, as the {@code Retry-After} header carries them; null when there is none. */
    public String retryAfterSeconds() {
        return retryAfter == null ? null : Long.toString(Math.max(1, retryAfter.toSeconds()));
    }
}
