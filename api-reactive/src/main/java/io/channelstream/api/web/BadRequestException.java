package io.channelstream.api.web;

import java.util.List;

/** A request the API refuses: 400 (malformed) or 422 (well-formed but not acceptable), naming the fields. */
public class BadRequestException extends RuntimeException {

    private final int status;
    private final List<FieldProblem> problems;

    public BadRequestException(int status, List<FieldProblem> problems) {
        super(problems.toString());
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public static BadRequestException invalid(String field, String reason) {
        return new BadRequestException(400, List.of(new FieldProblem(field, reason)));
    }

    public static BadRequestException unprocessable(String field, String reason) {
        return new BadRequestException(422, List.of(new FieldProblem(field, reason)));
    }

    public int status() {
        return status;
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
