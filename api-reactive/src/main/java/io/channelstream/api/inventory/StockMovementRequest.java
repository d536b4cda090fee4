package io.channelstream.api.inventory;

import io.channelstream.api.web.FieldProblem;
import io.channelstream.events.MovementKind;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A stock movement as a dealer's system, a WMS or a store reports it.
 *
 * @param quantity     units moved; positive, except an ADJUSTMENT which may be negative (a count
 *                     found fewer units) but not zero
 * @param occurredAt   when it happened (defaults to now); event time for every topology
 * @param unitPriceFen sale price per unit in fen, for sales (price-floor checks)
 */
public record StockMovementRequest(
        @NotBlank @Size(max = 64) String locationId,
        @NotBlank @Size(max = 64) String sku,
        @NotBlank @Size(max = 64) String batch,
        @NotNull MovementKind kind,
        @NotNull Integer quantity,
        LocalDate productionDate,
        LocalDate expiryDate,
        @Size(max = 128) String reference,
        Long unitPriceFen,
        Instant occurredAt) {

    /** Rules that span fields or depend on the kind; Bean Validation has checked the rest. */
    public List<FieldProblem> domainProblems() {
        List<FieldProblem> problems = new ArrayList<>();
        if (kind == MovementKind.UNKNOWN) {
            problems.add(new FieldProblem("kind", "must be one of RECEIPT, SALE, ADJUSTMENT, TRANSFER_OUT, "
                    + "TRANSFER_IN, SHIPMENT_OUT"));
        }
        if (quantity != null) {
            if (kind == MovementKind.ADJUSTMENT && quantity == 0) {
                problems.add(new FieldProblem("quantity", "an adjustment must change stock (not 0)"));
            } else if (kind != MovementKind.ADJUSTMENT && quantity <= 0) {
                problems.add(new FieldProblem("quantity", "must be positive for a " + kind + " movement, was "
                        + quantity));
            }
        }
        if (productionDate != null && expiryDate != null && expiryDate.isBefore(productionDate)) {
            problems.add(new FieldProblem("expiryDate", "must not be before productionDate " + productionDate));
        }
        if (unitPriceFen != null && unitPriceFen < 0) {
            problems.add(new FieldProblem("unitPriceFen", "must not be negative"));
        }
        return problems;
    }
}
