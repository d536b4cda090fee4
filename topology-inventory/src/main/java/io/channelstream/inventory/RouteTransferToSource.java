package io.channelstream.inventory;

import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferRequested;
import io.channelstream.streams.RejectedRecordException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Re-keys every step of a transfer to its source location, whose task keeps the transfer's state beside
 * the source's stock. Only the request names the source; it is remembered per transfer for the later
 * steps (approve, reject, dispatch, receive), which the transfers topic carries in order per transferId.
 */
final class RouteTransferToSource implements Processor<String, TransferEvent, String, TransferEvent> {

    private ProcessorContext<String, TransferEvent> context;
    private KeyValueStore<String, String> sources;

    @Override
    public void init(ProcessorContext<String, TransferEvent> context) {
        this.context = context;
        this.sources = context.getStateStore(InventoryTopology.TRANSFER_ROUTES_STORE);
    }

    @Override
    public void process(Record<String, TransferEvent> record) {
        TransferEvent event = record.value();
        if (event == null) {
            return; // a tombstone on a fact topic carries no step
        }
        String transferId = event.getTransferId();
        if (transferId == null || transferId.isBlank()) {
            throw new RejectedRecordException("transferId", "must not be blank");
        }
        String source = sources.get(transferId);
        if (event.getPayload() instanceof TransferRequested requested) {
            if (requested.getFromLocationId() == null || requested.getFromLocationId().isBlank()) {
                throw new RejectedRecordException("payload.fromLocationId", "must not be blank");
            }
            if (source == null) {
                source = requested.getFromLocationId();
                sources.put(transferId, source);
            }
            // a second request of the same id goes to the first one's source, which refuses it
        } else if (source == null) {
            throw new RejectedRecordException("transferId", "no request seen for transfer " + transferId + ": a "
                    + AdvanceTransfer.Step.of(event).name() + " must follow the transfer's request");
        }
        context.forward(record.withKey(source));
    }
}
