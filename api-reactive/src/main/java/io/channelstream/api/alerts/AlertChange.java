package io.channelstream.api.alerts;

/**
 * One inbox change on its way to stream clients, serialised once: with thousands of listeners, encoding
 * the alert per client would cost more than everything else the push does. {@code frame} is the whole SSE
 * event as sent (id = change number), shared by every listener.
 */
public record AlertChange(AlertView alert, String json, byte[] frame) {

    static AlertChange of(AlertView alert, String json) {
        return new AlertChange(alert, json, SseFrames.alert(alert.sequence(), json));
    }

    public long sequence() {
        return alert.sequence();
    }
}
