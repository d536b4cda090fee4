package io.channelstream.forecast;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact binary serde for the topology's private records (repartition topics, store values).
 * They never leave this topology, so they carry no registry id and no contract; what other systems
 * read is Avro from the catalogue. The first byte is a format version, so a rolling upgrade can tell
 * old bytes from new: a codec writes its newest format and reads every format up to it.
 */
final class Codec<T> implements Serde<T> {

    interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in, int format) throws IOException;
    }

    /**
     * A buffer per thread, kept between records: growing a fresh one for every order of 40 lines cost more than
     * writing it. Not a ByteArrayOutputStream: its write of each byte takes a lock (a tenth of the stream thread
     * went to the locked byte writes of the tallies' varints).
     */
    private static final class Buffer extends OutputStream {
        private static final int KEPT_BYTES = 1 << 20; // a rare huge record does not pin its buffer to the thread
        private byte[] bytes = new byte[1024];
        private int length;
        final DataOutputStream out = new DataOutputStream(this);

        void reset() {
            length = 0;
            if (bytes.length > KEPT_BYTES) {
                bytes = new byte[1024];
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }

        @Override
        public void write(int b) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[length++] = (byte) b;
        }

        @Override
        public void write(byte[] source, int offset, int count) {
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
            }
            System.arraycopy(source, offset, bytes, length, count);
            length += count;
        }
    }

    /** The bytes of one record, read without ByteArrayInputStream's lock per byte. */
    private static final class ArrayInput extends InputStream {
        private final byte[] bytes;
        private int position;

        ArrayInput(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] target, int offset, int count) {
            Objects.checkFromIndexSize(offset, count, target.length);
            if (count == 0) {
                return 0;
            }
            int available = bytes.length - position;
            if (available <= 0) {
                return -1;
            }
            int n = Math.min(count, available);
            System.arraycopy(bytes, position, target, offset, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, bytes.length - position));
            position += (int) skipped;
            return skipped;
        }

        @Override
        public int available() {
            return bytes.length - position;
        }
    }

    private static final ThreadLocal<Buffer> BUFFER = ThreadLocal.withInitial(Buffer::new);

    /** The first format every codec had; the only one of codecs that never changed. */
    static final int FIRST_FORMAT = 1;

    private final int format;
    private final Writer<T> writer;
    private final Reader<T> reader;

    Codec(Writer<T> writer, Reader<T> reader) {
        this(FIRST_FORMAT, writer, reader);
    }

    Codec(int format, Writer<T> writer, Reader<T> reader) {
        this.format = format;
        this.writer = writer;
        this.reader = reader;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            Buffer buffer = BUFFER.get();
            try {
                buffer.reset();
                buffer.out.writeByte(format);
                writer.write(buffer.out, value);
                buffer.out.flush();
                return buffer.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                DataInputStream in = new DataInputStream(new ArrayInput(data));
                int written = in.readByte();
                if (written < FIRST_FORMAT || written > format) {
                    throw new IllegalStateException("unknown private record format " + written + " on " + topic);
                }
                return reader.read(in, written);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /** A signed long in 1 to 10 bytes: zig-zag, then 7 bits a byte (small counts take one or two). */
    static void writeVarLong(DataOutput out, long value) throws IOException {
        long zigZag = (value << 1) ^ (value >> 63);
        while ((zigZag & ~0x7FL) != 0) {
            out.writeByte((int) ((zigZag & 0x7F) | 0x80));
            zigZag >>>= 7;
        }
        out.writeByte((int) zigZag);
    }

    static long readVarLong(DataInput in) throws IOException {
        long zigZag = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = in.readUnsignedByte();
            zigZag |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return (zigZag >>> 1) ^ -(zigZag & 1);
            }
        }
        throw new IOException("malformed variable-length long");
    }
}
