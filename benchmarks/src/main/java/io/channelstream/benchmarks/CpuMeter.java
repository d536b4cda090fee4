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
