package io.channelstream.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.Predicate;

/**
 * CPU time, which other work on a shared machine does not inflate the way it inflates wall-clock time: the
 * harness JVM's whole (the in-process broker included), and that of the threads doing the measured work.
 */
final class CpuMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuMeter() {
    }

    /** CPU nanoseconds used so far by this JVM, every thread. */
    static long jvmNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU nanoseconds used so far by the live threads whose name matches. */
    static long threadNanos(Predicate<String> name) {
        long sum = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && name.test(info.getThreadName())) {
                sum += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return sum;
    }

    /**
     * CPU nanoseconds used so far per group of this JVM's threads: the workers, the Kafka clients' I/O
     * threads (producers' senders, the admin client), the in-process broker's threads, other Java threads,
     * and what no Java thread accounts for (the JVM's own: garbage collection, JIT compilation).
     */
    static java.util.Map<String, Long> byGroup(Predicate<String> workers) {
        java.util.Map<String, Long> groups = new java.util.LinkedHashMap<>();
        for (String group : GROUPS) {
            groups.put(group, 0L);
        }
        long javaThreads = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            javaThreads += nanos;
            groups.merge(groupOf(info.getThreadName(), workers), nanos, Long::sum);
        }
        groups.put(JVM_OWN, jvmNanos() - javaThreads);
        // wall-clock time (not CPU) the collectors paused or ran and the JIT compiled: what the native share holds
        long gcMillis = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        groups.put(GC_TIME, gcMillis * 1_000_000);
        groups.put(JIT_TIME, ManagementFactory.getCompilationMXBean().getTotalCompilationTime() * 1_000_000);
        return groups;
    }

    static final String WORKERS = "worker";
    static final String CLIENT_IO = "client I/O";
    static final String BROKER = "broker";
    static final String OTHER = "other Java";
    /** What no Java thread accounts for: GC and JIT threads, and native threads (RocksDB flushes, compactions). */
    static final String JVM_OWN = "native (GC, JIT, RocksDB)";
    static final String GC_TIME = "[GC time";
    static final String JIT_TIME = "JIT time]";
    private static final String[] GROUPS = {WORKERS, CLIENT_IO, BROKER, OTHER, JVM_OWN};

    private static String groupOf(String thread, Predicate<String> workers) {
        if (workers.test(thread)) {
            return WORKERS;
        }
        if (thread.startsWith("kafka-producer-network-thread") || thread.startsWith("kafka-admin-client-thread")
                || thread.startsWith("kafka-coordinator-heartbeat-thread")
                || thread.contains("-consumer") || thread.endsWith("-GlobalStreamThread")) {
            return CLIENT_IO;
        }
        if (thread.startsWith("data-plane-") || thread.startsWith("kafka-") || thread.startsWith("broker-")
                || thread.startsWith("ExpirationReaper") || thread.startsWith("TxnMarkerSenderThread")
                || thread.startsWith("AddPartitionsToTxn") || thread.startsWith("group-coordinator")
                || thread.startsWith("quorum-controller") || thread.startsWith("controller-")
                || thread.startsWith("transaction-log-manager") || thread.startsWith("log-")
                || thread.startsWith("LogDirFailureHandler") || thread.startsWith("executor-")) {
            return BROKER;
        }
        return OTHER;
    }

    /** Per event, in microseconds, of each group between two readings ({@link #byGroup}). */
    static String perEventByGroup(java.util.Map<String, Long> before, java.util.Map<String, Long> after, long events) {
        StringBuilder text = new StringBuilder();
        for (java.util.Map.Entry<String, Long> group : after.entrySet()) {
            double micros = (group.getValue() - before.getOrDefault(group.getKey(), 0L)) / 1000.0 / Math.max(1, events);
            text.append(text.length() == 0 ? "" : ", ").append(group.getKey()).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.1f", micros));
        }
        return text.toString();
    }

    /** A Kafka Streams stream thread (not its producer's network thread). */
    static boolean isStreamThread(String threadName) {
        return threadName.matches(".*-StreamThread-\\d+");
    }

    /** CPU used so far by the JVM and by the workers, in nanoseconds. */
    record Reading(long jvmNanos, long workerNanos) {
        static Reading now(Predicate<String> workers) {
            return new Reading(CpuMeter.jvmNanos(), threadNanos(workers));
        }

        /** CPU used from this reading to a later one, per event. */
        PerEvent perEvent(Reading later, long events) {
            double n = Math.max(1, events) * 1000.0;
            return new PerEvent((later.jvmNanos - jvmNanos) / n, (later.workerNanos - workerNanos) / n);
        }
    }

    /** CPU microseconds per event: the whole JVM's, and the workers'. */
    record PerEvent(double jvmMicros, double workerMicros) {}
}
