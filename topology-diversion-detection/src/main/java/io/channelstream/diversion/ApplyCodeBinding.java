package io.channelstream.diversion;

import io.channelstream.events.CodeBinding;
import io.channelstream.regions.RegionTree;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Binds a code on its partition (a shipment, a transfer, or the container it is packed in moved). */
final class ApplyCodeBinding implements Processor<String, CodeBinding, String, SpecificRecord> {

    private final DiversionConfig config;
    private final RegionTree regions;
    private CodeJudge judge;

    ApplyCodeBinding(DiversionConfig config, RegionTree regions) {
        this.config = config;
        this.regions = regions;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        judge = new CodeJudge(context, config, regions);
    }

    @Override
    public void process(Record<String, CodeBinding> record) {
        judge.onBinding(record);
    }
}
