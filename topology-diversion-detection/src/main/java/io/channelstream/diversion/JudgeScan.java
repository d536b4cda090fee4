package io.channelstream.diversion;

import io.channelstream.events.ScanRecorded;
import io.channelstream.regions.RegionTree;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Judges each scan on its code's partition, and looks for codes whose unknown-code wait ended. The wait
 * runs on stream time (the event time the task has reached), not on the wall clock: a replay of last
 * night's scans and shipments then raises exactly the alerts the live run raised, and a backlog of
 * shipments stuck upstream does not turn every code scanned meanwhile into a false counterfeit alarm.
 */
final class JudgeScan implements Processor<String, ScanRecorded, String, SpecificRecord> {

    private final DiversionConfig config;
    private final RegionTree regions;
    private CodeJudge judge;

    JudgeScan(DiversionConfig config, RegionTree regions) {
        this.config = config;
        this.regions = regions;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        judge = new CodeJudge(context, config, regions);
        // Kafka Streams hands a punctuator its scheduled time, which lags after a jump in stream time;
        // the deadlines are compared with the stream time actually reached
        context.schedule(config.unknownCodeCheckInterval(), PunctuationType.STREAM_TIME,
                scheduled -> judge.raiseUnknownCodes(context.currentStreamTimeMs()));
    }

    @Override
    public void process(Record<String, ScanRecorded> record) {
        judge.onScan(record);
    }
}
