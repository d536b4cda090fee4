package io.channelstream.api.diversion;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Goods that left a location, with the trace codes they carry: pallets of cases of items, and loose
 * cases. Every code is bound to the receiving dealer's regions from {@code occurredAt} on.
 *
 * @param toDealerId the receiving dealer; defaults to the dealer operating {@code toLocationId}
 */
public record ShipmentRequest(
        @NotBlank @Size(max = 64) String shipmentId,
        @Size(max = 64) String orderId,
        @NotBlank @Size(max = 64) String fromLocationId,
        @NotBlank @Size(max = 64) String toLocationId,
        @Size(max = 64) String toDealerId,
        @NotEmpty @Size(max = 500) List<@Valid Line> lines,
        @Size(max = 200) List<@Valid PalletUnit> pallets,
        @Size(max = 5000) List<@Valid CaseUnit> looseCases,
        Instant occurredAt) {

    public record Line(
            @NotBlank @Size(max = 64) String sku,
            @NotBlank @Size(max = 64) String batch,
            @NotNull @Positive Integer quantity,
            LocalDate productionDate,
            LocalDate expiryDate) {}

    public record PalletUnit(
            @NotBlank String palletCode,
            @NotNull @Size(max = 500) List<@Valid CaseUnit> cases) {}

    public record CaseUnit(
            @NotBlank String caseCode,
            @NotBlank @Size(max = 64) String sku,
            @NotBlank @Size(max = 64) String batch,
            @Size(max = 1000) List<@NotBlank String> itemCodes) {}

    public List<PalletUnit> palletsOrEmpty() {
        return pallets == null ? List.of() : pallets;
    }

    public List<CaseUnit> looseCasesOrEmpty() {
        return looseCases == null ? List.of() : looseCases;
    }
}
