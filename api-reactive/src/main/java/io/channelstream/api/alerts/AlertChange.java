package io.channelstream.api.alerts;

/**
 * One inbox change on its way to stream clients, serialised once: with thousands of listeners, encoding
 * the alert per client would cost more than everything else the push does.
 */
public record AlertChange(AlertView alert, String json) {

    public long sequence() {
        return alert.sequence();
    }
}
