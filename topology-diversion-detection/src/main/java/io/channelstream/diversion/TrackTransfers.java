package io.channelstream.diversion;

import io.channelstream.events.BindingCause;
import io.channelstream.events.CodeBinding;
import io.channelstream.events.CodeLevel;
import io.channelstream.events.TransferDispatched;
import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferProgress;
import io.channelstream.events.TransferRequested;
import io.channelstream.events.WaitingDispatch;
import io.channelstream.regions.RegionTree;
import io.channelstream.streams.RejectedRecordException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Follows each transfer (requested, approved or rejected, dispatched) and rebinds the dispatched codes to
 * the receiving location once the transfer is approved and its destination known. Goods moved without an
 * approval stay bound where they were, so their scans at the destination are judged as diversion.
 */
final class TrackTransfers implements Processor<String, TransferEvent, String, CodeBinding> {

    private final RegionTree regions;
    private ProcessorContext<String, CodeBinding> context;
    private KeyValueStore<String, TransferProgress> transfers;
    private MasterData masterData;

    TrackTransfers(RegionTree regions) {
        this.regions = regions;
    }

    @Override
    public void init(ProcessorContext<String, CodeBinding> context) {
        this.context = context;
        this.transfers = context.getStateStore(DiversionTopology.TRANSFERS_STORE);
        this.masterData = new MasterData(context, regions);
    }

    @Override
    public void process(Record<String, TransferEvent> record) {
        TransferEvent event = record.value();
        if (event == null) {
            return;
        }
        String transferId = event.getTransferId();
        TransferProgress known = transfers.get(transferId);
        TransferProgress.Builder progress = known != null ? TransferProgress.newBuilder(known)
                : TransferProgress.newBuilder().setTransferId(transferId).setApproved(false).setRejected(false)
                        .setWaitingDispatches(List.of());
        Object payload = event.getPayload();
        if (payload instanceof TransferRequested requested) {
            progress.setFromLocationId(requested.getFromLocationId()).setToLocationId(requested.getToLocationId());
        } else if (payload instanceof io.channelstream.events.TransferApproved) {
            progress.setApproved(true);
        } else if (payload instanceof io.channelstream.events.TransferRejected) {
            progress.setRejected(true).setWaitingDispatches(List.of());
        } else if (payload instanceof TransferDispatched dispatched) {
            List<String> codes = readableCodes(dispatched.getCodes());
            if (!progress.getRejected()) {
                List<WaitingDispatch> waiting = new ArrayList<>(progress.getWaitingDispatches());
                waiting.add(WaitingDispatch.newBuilder().setEventId(event.getEventId())
                        .setOccurredAt(event.getOccurredAt()).setCodes(codes).build());
                progress.setWaitingDispatches(waiting);
            }
        }
        if (progress.getApproved() && !progress.getRejected() && progress.getToLocationId() != null
                && !progress.getWaitingDispatches().isEmpty()) {
            for (WaitingDispatch dispatch : progress.getWaitingDispatches()) {
                rebind(progress, dispatch, record);
            }
            progress.setWaitingDispatches(List.of());
        }
        transfers.put(transferId, progress.build());
    }

    private void rebind(TransferProgress.Builder transfer, WaitingDispatch dispatch, Record<String, TransferEvent> record) {
        BindShipmentCodes.Destination destination = BindShipmentCodes.Destination.of(transfer.getToLocationId(), null,
                dispatch.getOccurredAt(), masterData);
        for (String code : dispatch.getCodes()) {
            CodeBinding binding = CodeBinding.newBuilder()
                    .setEventId(dispatch.getEventId())
                    .setOccurredAt(dispatch.getOccurredAt())
                    .setSource(DiversionAlerts.SOURCE)
                    .setCode(code)
                    .setLevel(CodeLevel.UNKNOWN)
                    .setParentCode(null)
                    .setSku(null)
                    .setBatch(null)
                    .setUnits(1)
                    .setCause(BindingCause.TRANSFER)
                    .setReference(transfer.getTransferId())
                    .setShipmentId(null)
                    .setFromLocationId(transfer.getFromLocationId())
                    .setToLocationId(transfer.getToLocationId())
                    .setDealerId(destination.dealerId())
                    .setBoundRegionCodes(destination.regionCodes())
                    .setBoundLatitude(destination.latitude())
                    .setBoundLongitude(destination.longitude())
                    .setContents(List.of())
                    .setInheritedFrom(null)
                    .build();
            context.forward(new Record<>(code, binding, at(dispatch.getOccurredAt()), record.headers()));
        }
    }

    private static long at(Instant instant) {
        return instant.toEpochMilli();
    }

    private static List<String> readableCodes(List<String> codes) {
        List<String> readable = new ArrayList<>(codes.size());
        for (int i = 0; i < codes.size(); i++) {
            try {
                readable.add(TraceCode.parse(codes.get(i)).code());
            } catch (TraceCode.InvalidTraceCodeException e) {
                throw new RejectedRecordException("payload.codes[" + i + "]", "unreadable trace code: " + e.getMessage());
            }
        }
        return readable;
    }
}
