package io.channelstream.api.web;

/** The caller is known but may not see or change this resource. */
public class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message);
    }
}
