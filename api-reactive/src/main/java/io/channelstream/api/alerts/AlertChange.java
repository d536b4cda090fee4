package io.channelstream.api.alerts;

import io.netty.buffer.ByteBuf;

/**
 * One inbox change on its way to stream clients, serialised once: with thousands of listeners, encoding
 * the alert per client would cost more than everything else the push does. {@code wire} is the whole SSE
 * event as sent (id = change number), shared by every listener, held once in direct (off-heap) memory, so a
 * connection writes it to its socket as it is, without copying it to the heap and then off the heap again
 * for each client (the server's event loops spent half their time on those two copies). {@code wire} is
 * never released: a client's write takes a {@link ByteBuf#duplicate()}, whose release does nothing, and the
 * memory goes with the change when the garbage collector frees it.
 */
public record AlertChange(AlertView alert, String json, ByteBuf wire) {

    static AlertChange of(AlertView alert, String json) {
        return new AlertChange(alert, json, SseFrames.direct(SseFrames.alert(alert.sequence(), json)));
    }

    public long sequence() {
        return alert.sequence();
    }
}
