package io.channelstream.api.web;

import java.time.Duration;

/** The answer exists but cannot be given now (a store rebalancing, an owner unreachable): 503 + Retry-After. */
public class UnavailableException extends RuntimeException {

    private final Duration retryAfter;

    public UnavailableException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
