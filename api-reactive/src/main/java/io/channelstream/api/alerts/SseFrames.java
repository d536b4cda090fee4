package io.channelstream.api.alerts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events frames as the bytes that go on the wire (WHATWG HTML, "Server-sent events": fields
 * {@code id}, {@code event}, {@code retry}, {@code data}, a comment line starting with {@code :}, a blank line
 * ending the event). An alert's frame is encoded once and the same bytes are written to every listener.
 */
final class SseFrames {

    static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private SseFrames() {
    }

    static byte[] alert(long sequence, String json) {
        return event(Long.toString(sequence), "alert", null, json);
    }

    static byte[] ready(long retryMillis, String json) {
        return event(null, "ready", retryMillis, json);
    }

    static byte[] resync(String json) {
        return event(null, "resync", null, json);
    }

    /**
     * The frame's bytes in direct memory that no release frees (the garbage collector does, with the last
     * reference): every client writes a {@link ByteBuf#duplicate()} of it, and the socket takes it without a copy.
     */
    static ByteBuf direct(byte[] frame) {
        ByteBuffer memory = ByteBuffer.allocateDirect(frame.length).put(frame).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(memory));
    }

    private static byte[] event(String id, String name, Long retryMillis, String data) {
        StringBuilder frame = new StringBuilder(data.length() + 48);
        if (id != null) {
            frame.append("id:").append(id).append('\n');
        }
        frame.append("event:").append(name).append('\n');
        if (retryMillis != null) {
            frame.append("retry:").append(retryMillis).append('\n');
        }
        // a line break inside the data would end the field: each line is a data field of its own
        frame.append("data:").append(data.replace("\n", "\ndata:")).append("\n\n");
        return frame.toString().getBytes(StandardCharsets.UTF_8);
    }
}
