package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.MovementKind;
import io.channelstream.events.StockMovementRecorded;
import io.channelstream.events.TransferApproved;
import io.channelstream.events.TransferDispatched;
import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferLine;
import io.channelstream.events.TransferReceived;
import io.channelstream.events.TransferRefusal;
import io.channelstream.events.TransferRejected;
import io.channelstream.events.TransferRequested;
import io.channelstream.events.TransferState;
import io.channelstream.events.TransferStateLine;
import io.channelstream.events.TransferStatus;
import io.channelstream.streams.RejectedRecordException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Moves a transfer through its states, in the task that owns the source location's stock: requested →
 * approved or rejected → dispatched (the lines leave the source's stock, all or none) → received (the
 * units that arrived enter the destination's stock, same batch and dates, as TRANSFER_IN movements). A step
 * the current state does not allow, or a dispatch from a locked batch or short of available stock, moves
 * nothing: it is kept in the state's refusals and dead-lettered with the reason. A step already applied
 * (same event id) is a replay and is skipped.
 */
final class AdvanceTransfer implements Processor<String, TransferEvent, String, SpecificRecord> {

    /** What a transfer event asks for. */
    enum Step {
        REQUEST, APPROVE, REJECT, DISPATCH, RECEIVE;

        static Step of(TransferEvent event) {
            Object payload = event.getPayload();
            if (payload instanceof TransferRequested) {
                return REQUEST;
            }
            if (payload instanceof TransferApproved) {
                return APPROVE;
            }
            if (payload instanceof TransferRejected) {
                return REJECT;
            }
            if (payload instanceof TransferDispatched) {
                return DISPATCH;
            }
            if (payload instanceof TransferReceived) {
                return RECEIVE;
            }
            throw new RejectedRecordException("payload", "unknown transfer step " + payload);
        }
    }

    static final String SOURCE = "topology-inventory";
    /** Refusals kept per transfer: enough to see what went wrong lately, bounded against a retry storm. */
    static final int REFUSALS_KEPT = 10;

    private final InventoryRules rules;
    private ProcessorContext<String, SpecificRecord> context;
    private StockLedger ledger;
    private KeyValueStore<String, TransferState> transfers;

    AdvanceTransfer(InventoryRules rules) {
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.ledger = new StockLedger(context, rules);
        this.transfers = context.getStateStore(InventoryTopology.TRANSFERS_STORE);
    }

    @Override
    public void process(Record<String, TransferEvent> record) {
        TransferEvent event = record.value();
        String sourceId = record.key();
        String key = InventoryTopology.transferKey(sourceId, event.getTransferId());
        TransferState known = transfers.get(key);
        if (known != null && known.getAppliedEventIds().contains(event.getEventId())) {
            return; // this very step again (a producer's retry): applied once already
        }
        Step step = Step.of(event);
        TransferState next;
        try {
            next = switch (step) {
                case REQUEST -> request(event, (TransferRequested) event.getPayload(), known);
                case APPROVE -> approve(event, (TransferApproved) event.getPayload(), known(known, event, step));
                case REJECT -> reject(event, (TransferRejected) event.getPayload(), known(known, event, step));
                case DISPATCH -> dispatch(event, (TransferDispatched) event.getPayload(), known(known, event, step),
                        record.timestamp());
                case RECEIVE -> receive(event, (TransferReceived) event.getPayload(), known(known, event, step),
                        record.timestamp());
            };
        } catch (RejectedRecordException refused) {
            if (known != null) {
                transfers.put(key, withRefusal(known, event, step, refused));
            }
            throw refused; // nothing moved; the dead letter says why
        }
        transfers.put(key, applied(next, event));
    }

    private TransferState request(TransferEvent event, TransferRequested requested, TransferState known) {
        if (known != null) {
            throw new RejectedRecordException("transferId", "transfer " + event.getTransferId()
                    + " was already requested (it is " + known.getStatus() + ")");
        }
        require(requested.getToLocationId(), "payload.toLocationId");
        if (requested.getToLocationId().equals(requested.getFromLocationId())) {
            throw new RejectedRecordException("payload.toLocationId", "a transfer must go to another location than "
                    + requested.getFromLocationId());
        }
        if (requested.getLines().isEmpty()) {
            throw new RejectedRecordException("payload.lines", "a transfer must carry at least one line");
        }
        List<TransferStateLine> lines = new ArrayList<>();
        for (int i = 0; i < requested.getLines().size(); i++) {
            TransferLine line = requested.getLines().get(i);
            checkLine(line, "payload.lines[" + i + "]", false);
            lines.add(stateLine(line.getSku(), line.getBatch(), line.getQuantity(), null));
        }
        return TransferState.newBuilder()
                .setTransferId(event.getTransferId())
                .setFromLocationId(requested.getFromLocationId())
                .setToLocationId(requested.getToLocationId())
                .setStatus(TransferStatus.REQUESTED)
                .setRequestedLines(lines)
                .setRequestedBy(requested.getRequestedBy())
                .setRequestedAt(event.getOccurredAt())
                .setUpdatedAt(event.getOccurredAt())
                .build();
    }

    private TransferState approve(TransferEvent event, TransferApproved approved, TransferState state) {
        expect(state, TransferStatus.REQUESTED, "approved");
        return TransferState.newBuilder(state).setStatus(TransferStatus.APPROVED)
                .setApprovedBy(approved.getApprovedBy()).setApprovedAt(event.getOccurredAt()).build();
    }

    private TransferState reject(TransferEvent event, TransferRejected rejected, TransferState state) {
        expect(state, TransferStatus.REQUESTED, "rejected");
        return TransferState.newBuilder(state).setStatus(TransferStatus.REJECTED)
                .setRejectedBy(rejected.getRejectedBy()).setRejectionReason(rejected.getReason())
                .setRejectedAt(event.getOccurredAt()).build();
    }

    /** All lines leave the source, or none: every check is made before the first unit moves. */
    private TransferState dispatch(TransferEvent event, TransferDispatched dispatched, TransferState state,
                                   long timestamp) {
        expect(state, TransferStatus.APPROVED, "dispatched");
        List<TransferLine> lines = dispatched.getLines();
        if (lines.isEmpty()) {
            throw new RejectedRecordException("payload.lines", "a dispatch must carry at least one line");
        }
        Map<String, Long> dispatchedPerSku = new HashMap<>();
        Map<String, Long> wantedPerPosition = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            TransferLine line = lines.get(i);
            String field = "payload.lines[" + i + "]";
            checkLine(line, field, true);
            checkRequested(state, line, field);
            dispatchedPerSku.merge(line.getSku(), (long) line.getQuantity(), Long::sum);
            wantedPerPosition.merge(InventoryTopology.batchKey(line.getSku(), line.getBatch()),
                    (long) line.getQuantity(), Long::sum);
        }
        dispatchedPerSku.forEach((sku, units) -> {
            long requested = state.getRequestedLines().stream().filter(line -> line.getSku().equals(sku))
                    .mapToLong(TransferStateLine::getQuantity).sum();
            if (units > requested) {
                throw new RejectedRecordException("payload.lines", "dispatches " + units + " of " + sku
                        + ", more than the " + requested + " requested");
            }
        });
        String sourceId = state.getFromLocationId();
        List<String> shortfalls = new ArrayList<>();
        String firstShortField = null;
        for (int i = 0; i < lines.size(); i++) {
            TransferLine line = lines.get(i);
            if (ledger.isLocked(line.getSku(), line.getBatch())) {
                throw new RejectedRecordException("payload.lines[" + i + "].batch", "batch " + line.getBatch() + " of "
                        + line.getSku() + " is locked for recall: it may not leave " + sourceId);
            }
            Long wanted = wantedPerPosition.remove(InventoryTopology.batchKey(line.getSku(), line.getBatch()));
            if (wanted == null) {
                continue; // a second line of the same batch: judged with the first
            }
            InventoryPosition position = ledger.position(sourceId, line.getSku(), line.getBatch());
            long available = position == null ? 0 : ledger.allocatable(position);
            if (available < wanted) {
                firstShortField = firstShortField != null ? firstShortField : "payload.lines[" + i + "].quantity";
                shortfalls.add("lines[" + i + "]: " + wanted + " of " + line.getSku() + " batch "
                        + line.getBatch() + " wanted, " + available + " available at " + sourceId + ", short by "
                        + (wanted - available));
            }
        }
        if (!shortfalls.isEmpty()) {
            throw new RejectedRecordException(firstShortField, "not enough available stock: " + String.join("; ", shortfalls));
        }
        List<TransferStateLine> left = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            TransferLine line = lines.get(i);
            InventoryPosition position = ledger.position(sourceId, line.getSku(), line.getBatch());
            ApplyStockMovement.apply(ledger, movement("transfer-out:" + event.getEventId() + ":" + i, event, sourceId,
                    MovementKind.TRANSFER_OUT, line.getSku(), line.getBatch(), line.getQuantity(), position), timestamp);
            left.add(stateLine(line.getSku(), line.getBatch(), line.getQuantity(), position));
        }
        return TransferState.newBuilder(state).setStatus(TransferStatus.DISPATCHED)
                .setLogisticsOrderId(dispatched.getLogisticsOrderId())
                .setDispatchedLines(left)
                .setDispatchedCodes(dispatched.getCodes().size())
                .setDispatchedAt(event.getOccurredAt())
                .build();
    }

    /**
     * What arrived enters the destination's stock (what did not was lost in transit): as TRANSFER_IN
     * movements for the destination's own task, sent in this task's transaction, so exactly once.
     */
    private TransferState receive(TransferEvent event, TransferReceived received, TransferState state,
                                  long timestamp) {
        if (state.getStatus() == TransferStatus.RECEIVED) {
            throw new RejectedRecordException("status", "transfer " + state.getTransferId() + " was already received"
                    + " at " + state.getReceivedAt() + ": its units entered " + state.getToLocationId() + " once");
        }
        expect(state, TransferStatus.DISPATCHED, "received");
        List<TransferStateLine> arrived = received.getLines().isEmpty() ? state.getDispatchedLines()
                : arrivedLines(state, received.getLines());
        for (int i = 0; i < arrived.size(); i++) {
            TransferStateLine line = arrived.get(i);
            StockMovementRecorded in = StockMovementRecorded.newBuilder()
                    .setEventId("transfer-in:" + event.getEventId() + ":" + i)
                    .setOccurredAt(event.getOccurredAt())
                    .setSource(SOURCE)
                    .setLocationId(state.getToLocationId())
                    .setSku(line.getSku())
                    .setBatch(line.getBatch())
                    .setKind(MovementKind.TRANSFER_IN)
                    .setQuantity(line.getQuantity())
                    .setProductionDate(line.getProductionDate())
                    .setExpiryDate(line.getExpiryDate())
                    .setReference(state.getTransferId())
                    .build();
            context.forward(new Record<>(state.getToLocationId(), in, timestamp));
        }
        return TransferState.newBuilder(state).setStatus(TransferStatus.RECEIVED)
                .setReceivedBy(received.getReceivedBy())
                .setReceivedLines(arrived)
                .setReceivedAt(event.getOccurredAt())
                .build();
    }

    /** Each received line must name a dispatched batch (or a SKU dispatched in one batch), no more units than left. */
    private static List<TransferStateLine> arrivedLines(TransferState state, List<TransferLine> lines) {
        Map<String, TransferStateLine> dispatched = new LinkedHashMap<>();
        for (TransferStateLine line : state.getDispatchedLines()) {
            dispatched.merge(InventoryTopology.batchKey(line.getSku(), line.getBatch()), line, (a, b) ->
                    TransferStateLine.newBuilder(a).setQuantity(a.getQuantity() + b.getQuantity()).build());
        }
        Map<String, Integer> receivedPerBatch = new HashMap<>();
        List<TransferStateLine> arrived = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            TransferLine line = lines.get(i);
            String field = "payload.lines[" + i + "]";
            checkLine(line, field, false);
            String batch = line.getBatch();
            if (batch == null) {
                List<TransferStateLine> ofSku = dispatched.values().stream()
                        .filter(d -> d.getSku().equals(line.getSku())).toList();
                if (ofSku.size() != 1) {
                    throw new RejectedRecordException(field + ".batch", line.getSku() + " left in " + ofSku.size()
                            + " batches: name the batch that arrived");
                }
                batch = ofSku.get(0).getBatch();
            }
            TransferStateLine sent = dispatched.get(InventoryTopology.batchKey(line.getSku(), batch));
            if (sent == null) {
                throw new RejectedRecordException(field, "batch " + batch + " of " + line.getSku()
                        + " was not dispatched in transfer " + state.getTransferId());
            }
            int total = receivedPerBatch.merge(InventoryTopology.batchKey(line.getSku(), batch), line.getQuantity(),
                    Integer::sum);
            if (total > sent.getQuantity()) {
                throw new RejectedRecordException(field + ".quantity", total + " of " + line.getSku() + " batch "
                        + batch + " received, but only " + sent.getQuantity() + " were dispatched");
            }
            arrived.add(TransferStateLine.newBuilder(sent).setQuantity(line.getQuantity()).build());
        }
        return arrived;
    }

    private static void checkRequested(TransferState state, TransferLine line, String field) {
        List<TransferStateLine> ofSku = state.getRequestedLines().stream()
                .filter(requested -> requested.getSku().equals(line.getSku())).toList();
        if (ofSku.isEmpty()) {
            throw new RejectedRecordException(field + ".sku", line.getSku() + " was not requested in transfer "
                    + state.getTransferId());
        }
        boolean anyBatch = ofSku.stream().anyMatch(requested -> requested.getBatch() == null);
        if (!anyBatch && ofSku.stream().noneMatch(requested -> requested.getBatch().equals(line.getBatch()))) {
            throw new RejectedRecordException(field + ".batch", "batch " + line.getBatch() + " of " + line.getSku()
                    + " was not requested (requested: " + ofSku.stream().map(TransferStateLine::getBatch).toList()
                    + ")");
        }
    }

    private static void checkLine(TransferLine line, String field, boolean batchRequired) {
        require(line.getSku(), field + ".sku");
        if (batchRequired) {
            require(line.getBatch(), field + ".batch");
        }
        if (line.getQuantity() <= 0) {
            throw new RejectedRecordException(field + ".quantity", "must be positive, was " + line.getQuantity());
        }
    }

    private static void expect(TransferState state, TransferStatus wanted, String verb) {
        if (state.getStatus() != wanted) {
            throw new RejectedRecordException("status", "transfer " + state.getTransferId() + " is "
                    + state.getStatus() + ": it can be " + verb + " only when " + wanted);
        }
    }

    private static TransferState known(TransferState known, TransferEvent event, Step step) {
        if (known == null) {
            // the route knew the transfer, so its request was refused here (or is of another source)
            throw new RejectedRecordException("transferId", "transfer " + event.getTransferId()
                    + " has no accepted request at this source: a " + step + " cannot apply");
        }
        return known;
    }

    private static TransferState applied(TransferState next, TransferEvent event) {
        List<String> applied = new ArrayList<>(next.getAppliedEventIds());
        applied.add(event.getEventId());
        return TransferState.newBuilder(next).setAppliedEventIds(applied).setUpdatedAt(event.getOccurredAt()).build();
    }

    private static TransferState withRefusal(TransferState state, TransferEvent event, Step step,
                                             RejectedRecordException refused) {
        List<TransferRefusal> refusals = new ArrayList<>(state.getRefusals());
        refusals.add(TransferRefusal.newBuilder().setEventId(event.getEventId()).setStep(step.name())
                .setField(refused.field()).setReason(refused.reason()).setOccurredAt(event.getOccurredAt()).build());
        if (refusals.size() > REFUSALS_KEPT) {
            refusals = new ArrayList<>(refusals.subList(refusals.size() - REFUSALS_KEPT, refusals.size()));
        }
        return TransferState.newBuilder(state).setRefusals(refusals).build();
    }

    private static StockMovementRecorded movement(String eventId, TransferEvent event, String locationId,
                                                  MovementKind kind, String sku, String batch, int units,
                                                  InventoryPosition position) {
        return StockMovementRecorded.newBuilder()
                .setEventId(eventId)
                .setOccurredAt(event.getOccurredAt())
                .setSource(SOURCE)
                .setLocationId(locationId)
                .setSku(sku)
                .setBatch(batch)
                .setKind(kind)
                .setQuantity(units)
                .setProductionDate(position == null ? null : position.getProductionDate())
                .setExpiryDate(position == null ? null : position.getExpiryDate())
                .setReference(event.getTransferId())
                .build();
    }

    private static TransferStateLine stateLine(String sku, String batch, int units, InventoryPosition position) {
        return TransferStateLine.newBuilder()
                .setSku(sku)
                .setBatch(batch)
                .setQuantity(units)
                .setProductionDate(position == null ? null : position.getProductionDate())
                .setExpiryDate(position == null ? null : position.getExpiryDate())
                .build();
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new RejectedRecordException(field, "must not be blank");
        }
    }
}
