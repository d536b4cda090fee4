package io.channelstream.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A light closed-loop HTTP/1.1 load generator: one thread, one selector, {@code connections} keep-alive
 * connections, each sending its next GET as soon as the previous answer is read in full. It exists because
 * the JDK {@code HttpClient} costs the machine more CPU per request than the app's whole read path does, on
 * the same two cores, so it measured itself. Latency is per request, from the request's first byte written to
 * the answer's last byte read; a closed loop sends nothing while a connection waits, so these are the
 * latencies of the requests it sent (no claim about requests a fixed-rate client would have queued meanwhile).
 * Loopback only; answers must be {@code Content-Length} or chunked (what Reactor Netty sends).
 */
final class NioHttpLoad {

    /**
     * What one run measured. CPU per request (microseconds): this generator's own thread, and the server
     * process's whole (every thread of the app's JVM: web stack, topology, its broker), NaN when not known.
     */
    record Result(double requestsPerSecond, double p50Millis, double p99Millis, long requests, long failures,
                  double clientCpuMicros, double serverCpuMicros) {}

    private NioHttpLoad() {
    }

    /**
     * @param serverCpuNanos CPU used so far by the server process, read as the measurement starts and ends
     *                       (null: not reported)
     */
    static Result run(List<URI> targets, String bearerToken, int connections, Duration warmUp, Duration measure,
                      LongSupplier serverCpuNanos) throws IOException {
        URI first = targets.get(0);
        if (!first.getHost().equals("127.0.0.1") && !first.getHost().equals("localhost")) {
            throw new IllegalArgumentException("load goes to loopback only, not " + first);
        }
        byte[][] requests = new byte[targets.size()][];
        for (int i = 0; i < requests.length; i++) {
            URI target = targets.get(i);
            String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            requests[i] = ("GET " + path + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + target.getPort()
                    + "\r\nAuthorization: Bearer " + bearerToken + "\r\nAccept: application/json\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }
        InetSocketAddress address = new InetSocketAddress(first.getHost(), first.getPort());
        try (Selector selector = Selector.open()) {
            Connection[] open = new Connection[connections];
            for (int c = 0; c < connections; c++) {
                open[c] = new Connection(address, selector, requests, c * 7919);
            }
            Run run = new Run();
            long warmUpEnd = System.nanoTime() + warmUp.toNanos();
            run.loop(selector, warmUpEnd, false);
            run.reset();
            long serverStart = serverCpuNanos == null ? 0 : serverCpuNanos.getAsLong();
            long start = System.nanoTime();
            long cpuStart = threadCpuNanos();
            run.loop(selector, start + measure.toNanos(), true);
            double seconds = (System.nanoTime() - start) / 1e9;
            double perRequest = 1000.0 * Math.max(1, run.completed);
            double cpuMicros = (threadCpuNanos() - cpuStart) / perRequest;
            double serverMicros = serverCpuNanos == null ? Double.NaN
                    : (serverCpuNanos.getAsLong() - serverStart) / perRequest;
            for (Connection connection : open) {
                connection.close();
            }
            long[] latencies = Arrays.copyOf(run.latencies, run.recorded);
            return new Result(run.completed / seconds, Stats.millis(Stats.percentile(latencies, 50)),
                    Stats.millis(Stats.percentile(latencies, 99)), run.completed, run.failures, cpuMicros,
                    serverMicros);
        }
    }

    private static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Counts of the current phase. */
    private static final class Run {
        long[] latencies = new long[1 << 16];
        int recorded;
        long completed;
        long failures;

        void reset() {
            recorded = 0;
            completed = 0;
            failures = 0;
        }

        void record(long nanos, boolean ok) {
            completed++;
            if (!ok) {
                failures++;
                return;
            }
            if (recorded == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[recorded++] = nanos;
        }

        void loop(Selector selector, long until, boolean measuring) throws IOException {
            while (System.nanoTime() < until) {
                selector.select(10);
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    ((Connection) key.attachment()).onReady(key, this);
                }
            }
        }
    }

    /** One keep-alive connection and the request it has in flight. */
    private static final class Connection {
        private final InetSocketAddress address;
        private final Selector selector;
        private final byte[][] requests;
        private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private int next;
        private long sentNanos;
        // response parsing: headers, then a body of known length or in chunks
        private int status;
        private long bodyLeft = -1;
        private boolean chunked;
        private boolean closeAfter;

        Connection(InetSocketAddress address, Selector selector, byte[][] requests, int firstRequest)
                throws IOException {
            this.address = address;
            this.selector = selector;
            this.requests = requests;
            this.next = firstRequest;
            connect();
        }

        private void connect() throws IOException {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(address); // blocking connect on loopback, then non-blocking I/O
            channel.configureBlocking(false);
            key = channel.register(selector, SelectionKey.OP_WRITE, this);
            in.clear();
            send();
        }

        private void send() {
            out = ByteBuffer.wrap(requests[Math.floorMod(next, requests.length)]);
            next += 7919; // a stride through the targets, so neighbouring requests ask for different keys
            status = 0;
            bodyLeft = -1;
            chunked = false;
            closeAfter = false;
            sentNanos = System.nanoTime();
            key.interestOps(SelectionKey.OP_WRITE);
        }

        void onReady(SelectionKey ready, Run run) throws IOException {
            try {
                if (ready.isWritable()) {
                    channel.write(out);
                    if (!out.hasRemaining()) {
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (ready.isValid() && ready.isReadable()) {
                    int read = channel.read(in);
                    if (read < 0) {
                        throw new IOException("the server closed the connection");
                    }
                    if (parse()) {
                        run.record(System.nanoTime() - sentNanos, status == 200);
                        if (closeAfter) {
                            reconnect();
                        } else {
                            send();
                        }
                    }
                }
            } catch (IOException e) {
                run.record(System.nanoTime() - sentNanos, false);
                reconnect();
            }
        }

        private void reconnect() throws IOException {
            close();
            connect();
        }

        void close() throws IOException {
            key.cancel();
            channel.close();
        }

        /** Consumes what has arrived of the answer; true once the whole answer is in. */
        private boolean parse() throws IOException {
            in.flip();
            try {
                if (status == 0) {
                    int end = headerEnd();
                    if (end < 0) {
                        return false;
                    }
                    readHeaders(end);
                }
                return chunked ? readChunks() : readBody();
            } finally {
                in.compact();
            }
        }

        private int headerEnd() {
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    return i + 4;
                }
            }
            return -1;
        }

        private void readHeaders(int end) throws IOException {
            String head = new String(in.array(), in.position(), end - in.position(), StandardCharsets.US_ASCII);
            in.position(end);
            String[] lines = head.split("\r\n");
            String[] statusLine = lines[0].split(" ");
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x answer: " + lines[0]);
            }
            status = Integer.parseInt(statusLine[1]);
            bodyLeft = 0;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim();
                String value = lines[i].substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    bodyLeft = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
                    closeAfter = true;
                }
            }
        }

        private boolean readBody() {
            long take = Math.min(bodyLeft, in.remaining());
            in.position(in.position() + (int) take);
            bodyLeft -= take;
            return bodyLeft == 0;
        }

        /** Chunks: size line, data, CRLF; the last chunk has size 0 and ends with an empty line. */
        private boolean readChunks() throws IOException {
            while (true) {
                if (bodyLeft > 0) { // inside a chunk's data (plus its CRLF, counted in bodyLeft)
                    if (!readBody()) {
                        return false;
                    }
                }
                int lineEnd = -1;
                for (int i = in.position(); i + 1 < in.limit(); i++) {
                    if (in.get(i) == '\r' && in.get(i + 1) == '\n') {
                        lineEnd = i;
                        break;
                    }
                }
                if (lineEnd < 0) {
                    return false;
                }
                String sizeLine = new String(in.array(), in.position(), lineEnd - in.position(),
                        StandardCharsets.US_ASCII);
                int semicolon = sizeLine.indexOf(';');
                long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    // the last chunk: expect the empty line after it (no trailers from Reactor Netty)
                    if (lineEnd + 4 > in.limit()) {
                        return false;
                    }
                    in.position(lineEnd + 4);
                    return true;
                }
                in.position(lineEnd + 2);
                bodyLeft = size + 2;
            }
        }
    }
}
