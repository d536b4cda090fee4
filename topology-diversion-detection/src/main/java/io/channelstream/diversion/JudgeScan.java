package io.channelstream.diversion;

import io.channelstream.events.ScanRecorded;
import io.channelstream.regions.RegionTree;
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
 * time, the waits end by stream time again, as if the bindings had caught up.
 */
final class JudgeScan implements Processor<String, ScanRecorded, String, SpecificRecord> {

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
        // after a restart or fail-over the binding feed gets a whole grace to show it is moving
        watermarkSeen = judge.bindingsWatermark();
        watermarkMovedAtWallClockMs = context.currentSystemTimeMs();
        // Kafka Streams hands a punctuator its scheduled time, which lags after a jump in stream time;
        // the deadlines are compared with the clock actually reached
        context.schedule(config.unknownCodeCheckInterval(), PunctuationType.STREAM_TIME,
                scheduled -> judge.raiseUnknownCodes(judgementClockMs()));
        context.schedule(config.unknownCodeCheckInterval(), PunctuationType.WALL_CLOCK_TIME,
                scheduled -> judge.raiseUnknownCodes(judgementClockMs()));
    }

    @Override
    public void process(Record<String, ScanRecorded> record) {
        judge.onScan(record);
    }

    /**
     * The time up to which waits are over: the bindings watermark while the binding feed moves, the stream time
     * once it has stood still for the grace.
     */
    private long judgementClockMs() {
        long watermark = judge.bindingsWatermark();
        long now = context.currentSystemTimeMs();
        if (watermark > watermarkSeen) {
            watermarkSeen = watermark;
            watermarkMovedAtWallClockMs = now;
        }
        long streamTime = context.currentStreamTimeMs();
        boolean feedIdle = now - watermarkMovedAtWallClockMs >= config.bindingIdleGrace().toMillis();
        return feedIdle ? streamTime : Math.min(streamTime, watermark);
    }
}
