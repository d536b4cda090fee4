package io.channelstream.diversion;

import io.channelstream.events.ScanRecorded;
import io.channelstream.regions.RegionTree;
import io.channelstream.streams.RejectedRecordException;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Refuses, before anything else sees it, a scan nobody can judge: an unreadable code, no place, a region
 * code that is not in GB/T 2260. Refused scans go to the dead-letter topic with the field and the reason.
 *
 * <p>Only scans about to be re-keyed pass here, so that nothing unjudgeable travels through the repartition topic. A
 * scan already on its code's partition is checked by the judge itself (placed by {@link Place#of}, and its code read
 * when the partition has never seen it), which refuses it the same way before anything changes: checking it here too
 * would only do the work twice.
 */
final class CheckScan implements FixedKeyProcessor<String, ScanRecorded, ScanRecorded> {

    private final RegionTree regions;
    private FixedKeyProcessorContext<String, ScanRecorded> context;
    private MasterData masterData;

    CheckScan(RegionTree regions) {
        this.regions = regions;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ScanRecorded> context) {
        this.context = context;
        this.masterData = new MasterData(context, regions);
    }

    /** Refuses a scan whose code cannot be read as a trace code, naming the field. */
    static void readableCode(ScanRecorded scan) {
        try {
            TraceCode.parse(scan.getCode());
        } catch (TraceCode.InvalidTraceCodeException e) {
            throw new RejectedRecordException("code", "unreadable trace code: " + e.getMessage());
        }
    }

    @Override
    public void process(FixedKeyRecord<String, ScanRecorded> record) {
        ScanRecorded scan = record.value();
        if (scan == null) {
            return;
        }
        readableCode(scan);
        Place.of(scan, masterData, regions);
        context.forward(record);
    }
}
