package io.channelstream.api.transfers;

import io.channelstream.events.TransferRefusal;
import io.channelstream.events.TransferState;
import io.channelstream.events.TransferStateLine;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a transfer stands, as the inventory topology keeps it with the source's stock.
 *
 * @param status     PENDING until the topology has read the request, then REQUESTED, APPROVED, REJECTED,
 *                   DISPATCHED or RECEIVED
 * @param refusals   steps the topology refused (they moved no stock), newest last
 * @param servedBy   the instance whose store answered
 */
public record TransferView(
        String transferId,
        String fromLocationId,
        String toLocationId,
        String status,
        String requestedBy,
        Instant requestedAt,
        List<LineView> lines,
        String approvedBy,
        Instant approvedAt,
        String rejectedBy,
        String rejectionReason,
        Instant rejectedAt,
        DispatchView dispatch,
        ReceiptView receipt,
        List<RefusalView> refusals,
        Instant updatedAt,
        String servedBy,
        boolean stale) {

    public static final String PENDING = "PENDING";

    public record LineView(String sku, String batch, int quantity, LocalDate productionDate, LocalDate expiryDate) {
        static LineView of(TransferStateLine line) {
            return new LineView(line.getSku(), line.getBatch(), line.getQuantity(), line.getProductionDate(),
                    line.getExpiryDate());
        }
    }

    /** @param codes how many trace codes the dispatch named (they are rebound to the destination's region) */
    public record DispatchView(String logisticsOrderId, List<LineView> lines, int codes, Instant at) {}

    /** @param lostInTransit dispatched units that did not arrive */
    public record ReceiptView(String receivedBy, List<LineView> lines, List<LineView> lostInTransit, Instant at) {}

    public record RefusalView(String eventId, String step, String field, String reason, Instant at) {
        static RefusalView of(TransferRefusal refusal) {
            return new RefusalView(refusal.getEventId(), refusal.getStep(), refusal.getField(), refusal.getReason(),
                    refusal.getOccurredAt());
        }
    }

    static TransferView of(TransferState state, String servedBy, boolean stale) {
        DispatchView dispatch = state.getDispatchedAt() == null ? null : new DispatchView(state.getLogisticsOrderId(),
                lines(state.getDispatchedLines()), state.getDispatchedCodes(), state.getDispatchedAt());
        ReceiptView receipt = state.getReceivedAt() == null ? null : new ReceiptView(state.getReceivedBy(),
                lines(state.getReceivedLines()), lost(state), state.getReceivedAt());
        return new TransferView(state.getTransferId(), state.getFromLocationId(), state.getToLocationId(),
                state.getStatus().name(), state.getRequestedBy(), state.getRequestedAt(),
                lines(state.getRequestedLines()), state.getApprovedBy(), state.getApprovedAt(), state.getRejectedBy(),
                state.getRejectionReason(), state.getRejectedAt(), dispatch, receipt,
                state.getRefusals().stream().map(RefusalView::of).toList(), state.getUpdatedAt(), servedBy, stale);
    }

    /** The directory's facts while the topology has not read the request yet. */
    static TransferView pending(TransferDirectory.Entry entry, String servedBy) {
        return new TransferView(entry.transferId(), entry.fromLocationId(), entry.toLocationId(), PENDING,
                entry.requestedBy(), entry.requestedAt(), List.of(), null, null, null, null, null, null, null,
                List.of(), entry.requestedAt(), servedBy, false);
    }

    private static List<LineView> lines(List<TransferStateLine> lines) {
        return lines.stream().map(LineView::of).toList();
    }

    private static List<LineView> lost(TransferState state) {
        Map<String, Integer> arrived = new LinkedHashMap<>();
        state.getReceivedLines().forEach(line -> arrived.merge(line.getSku() + "|" + line.getBatch(), line.getQuantity(),
                Integer::sum));
        List<LineView> lost = new ArrayList<>();
        for (TransferStateLine sent : state.getDispatchedLines()) {
            String key = sent.getSku() + "|" + sent.getBatch();
            int came = arrived.getOrDefault(key, 0);
            int used = Math.min(came, sent.getQuantity());
            arrived.put(key, came - used);
            if (sent.getQuantity() > used) {
                lost.add(new LineView(sent.getSku(), sent.getBatch(), sent.getQuantity() - used,
                        sent.getProductionDate(), sent.getExpiryDate()));
            }
        }
        return lost;
    }
}
