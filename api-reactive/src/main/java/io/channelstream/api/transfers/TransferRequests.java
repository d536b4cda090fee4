package io.channelstream.api.transfers;

import io.channelstream.api.web.FieldProblem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The bodies of the transfer commands. */
public final class TransferRequests {

    private TransferRequests() {
    }

    /**
     * @param batch null in a request when any batch will do (the source picks, earliest expiry first, at dispatch)
     */
    public record Line(
            @NotBlank @Size(max = 64) String sku,
            @Size(max = 64) String batch,
            @NotNull @Positive Integer quantity) {}

    /**
     * Asks for stock to move from one location to another.
     *
     * @param transferId optional; one is made when absent. Asking again with the same id is a 409
     */
    public record Request(
            @Size(max = 64) String transferId,
            @NotBlank @Size(max = 64) String fromLocationId,
            @NotBlank @Size(max = 64) String toLocationId,
            @NotEmpty @Size(max = 100) List<@Valid Line> lines,
            Instant occurredAt) {

        List<FieldProblem> domainProblems() {
            List<FieldProblem> problems = new ArrayList<>();
            if (transferId != null && (transferId.isBlank() || transferId.contains("|") || transferId.contains("/"))) {
                problems.add(new FieldProblem("transferId", "must not be blank or contain '|' or '/'"));
            }
            if (fromLocationId.equals(toLocationId)) {
                problems.add(new FieldProblem("toLocationId", "must be another location than fromLocationId "
                        + fromLocationId));
            }
            duplicates(lines, problems);
            return problems;
        }
    }

    /** HQ's approval; the note is for the record only. */
    public record Approval(@Size(max = 500) String note, Instant occurredAt) {}

    /** HQ's rejection, with the reason the requester is told. */
    public record Rejection(@NotBlank @Size(max = 500) String reason, Instant occurredAt) {}

    /**
     * The source sends the goods.
     *
     * @param logisticsOrderId the carrier's waybill; one is generated when absent
     * @param lines            what leaves; absent means the requested lines. A line without a batch is filled
     *                         from the source's stock, earliest expiry first
     * @param codes            trace codes (pallet, case or item) of the goods that leave: rebound to the destination
     */
    public record Dispatch(
            @Size(max = 64) String logisticsOrderId,
            @Size(max = 100) List<@Valid Line> lines,
            @Size(max = 10_000) List<@NotBlank String> codes,
            Instant occurredAt) {

        List<FieldProblem> domainProblems() {
            List<FieldProblem> problems = new ArrayList<>();
            if (lines != null) {
                duplicates(lines, problems);
            }
            return problems;
        }
    }

    /**
     * The destination takes the goods in.
     *
     * @param lines what arrived; absent means everything dispatched. Fewer units than dispatched: the rest was
     *              lost in transit
     */
    public record Receipt(@Size(max = 100) List<@Valid Line> lines, Instant occurredAt) {

        List<FieldProblem> domainProblems() {
            List<FieldProblem> problems = new ArrayList<>();
            if (lines != null) {
                duplicates(lines, problems);
            }
            return problems;
        }
    }

    private static void duplicates(List<Line> lines, List<FieldProblem> problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line == null || line.sku() == null) {
                continue;
            }
            if (!seen.add(line.sku() + "|" + line.batch())) {
                problems.add(new FieldProblem("lines[" + i + "]", "repeats " + line.sku()
                        + (line.batch() == null ? "" : " batch " + line.batch()) + ": one line per SKU and batch"));
            }
        }
    }
}
