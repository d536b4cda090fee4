package io.channelstream.diversion;

import io.channelstream.events.ScanRecorded;
import io.channelstream.regions.RegionTree;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Judges each scan on its code's partition, and ends the waits that are over. A wait (a code still unbound, a
 * receipt elsewhere awaiting the shipment that explains it) ends when the bindings reaching this task have passed
 * the scan's time plus {@code unknownCodeWait}: the bindings watermark, kept in a store by {@link CodeJudge}, not
 * the task's stream time, which the scans drive alone when a replay delivers them far ahead of the bindings (they
 * come through a repartition topic from another sub-topology). A binding feed may also just be quiet (no
 * shipments overnight, or for a week): when the watermark has not moved for {@code bindingIdleGrace} of wall-clock
 * time, the waits end by the later of stream time and the wall clock, as if the bindings had caught up. The wall
 * clock counts there because once the feed is idle nothing but time can end a wait: when traffic stops (the end of a
 * replayed history, a quiet night) no later scan moves stream time past the last scans' waits.
 *
 * <p>Out-of-region verdicts that settle ({@code outOfRegionSettle}) are given by a wall-clock punctuator.
 */
final class JudgeScan implements Processor<String, ScanRecorded, String, SpecificRecord> {

    private static final Duration MIN_SETTLE_CHECK = Duration.ofMillis(10);
    private static final long NOT_YET = Long.MIN_VALUE;

    private final DiversionConfig config;
    private final RegionTree regions;
    private ProcessorContext<String, SpecificRecord> context;
    private CodeJudge judge;
    private long watermarkSeen;
    private long watermarkMovedAtWallClockMs;

    JudgeScan(DiversionConfig config, RegionTree regions) {
        this.config = config;
        this.regions = regions;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        judge = new CodeJudge(context, config, regions);
        // after a restart or fail-over the binding feed gets a whole grace to show it is moving, counted from the
        // first check: in init the context's wall clock is not set yet (Kafka Streams sets it per processing loop,
        // and a task being initialised reads 0), which would make every feed idle from the start
        watermarkSeen = judge.bindingsWatermark();
        watermarkMovedAtWallClockMs = NOT_YET;
        // Kafka Streams hands a punctuator its scheduled time, which lags after a jump in stream time;
        // the deadlines are compared with the clock actually reached
        // the deadlines are compared with the clock actually reached. A wall-clock punctuator is handed the wall
        // clock's time itself, which it uses rather than the context's cached time.
        context.schedule(config.unknownCodeCheckInterval(), PunctuationType.STREAM_TIME,
                scheduled -> judge.raiseUnknownCodes(judgementClockMs(context.currentSystemTimeMs())));
        context.schedule(config.unknownCodeCheckInterval(), PunctuationType.WALL_CLOCK_TIME,
                wallClockMs -> judge.raiseUnknownCodes(judgementClockMs(wallClockMs)));
        if (!config.outOfRegionSettle().isZero()) {
            context.schedule(settleCheckInterval(config.outOfRegionSettle()), PunctuationType.WALL_CLOCK_TIME,
                    judge::releaseSettledScans);
        }
    }

    /** A quarter of the settle, at least 10 ms: a settling verdict is given at most a quarter late. */
    static Duration settleCheckInterval(Duration settle) {
        Duration quarter = settle.dividedBy(4);
        return quarter.compareTo(MIN_SETTLE_CHECK) < 0 ? MIN_SETTLE_CHECK : quarter;
    }

    @Override
    public void process(Record<String, ScanRecorded> record) {
        judge.onScan(record);
    }

    /**
     * The time up to which waits are over: the bindings watermark while the binding feed moves; once it has stood
     * still for the grace, the later of the stream time and the wall clock.
     */
    private long judgementClockMs(long now) {
        long watermark = judge.bindingsWatermark();
        if (watermarkMovedAtWallClockMs == NOT_YET) {
            watermarkMovedAtWallClockMs = now;
        }
        if (watermark > watermarkSeen) {
            watermarkSeen = watermark;
            watermarkMovedAtWallClockMs = now;
        }
        long streamTime = context.currentStreamTimeMs();
        boolean feedIdle = now - watermarkMovedAtWallClockMs >= config.bindingIdleGrace().toMillis();
        return feedIdle ? Math.max(streamTime, now) : Math.min(streamTime, watermark);
    }
}
