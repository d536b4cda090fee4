package io.channelstream.api.orders;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * An order as a dealer (or its ERP) places it.
 *
 * @param orderId              the caller's id for the order (makes a retried POST recognisable); generated when absent
 * @param fulfillingLocationId the warehouse or depot that ships it (where stock is reserved)
 * @param shipTo               where the goods go; its region must lie inside the dealer's authorized regions
 * @param promo                sold under a promotion (feeds promotion lift)
 */
public record OrderRequest(
        @Size(max = 64) String orderId,
        @NotBlank @Size(max = 64) String dealerId,
        @NotBlank @Size(max = 64) String fulfillingLocationId,
        @NotNull @Valid ShipTo shipTo,
        boolean promo,
        @NotEmpty @Size(max = 500) List<@Valid Line> lines,
        Instant occurredAt) {

    /** @param regionCode GB/T 2260 code of the delivery place */
    public record ShipTo(
            @Size(max = 64) String locationId,
            @NotBlank String regionCode,
            @DecimalMin("-90") @DecimalMax("90") Double latitude,
            @DecimalMin("-180") @DecimalMax("180") Double longitude) {}

    /** @param unitPriceFen agreed price per unit in fen (checked against the regional floor price) */
    public record Line(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Positive Integer quantity,
            @NotNull @PositiveOrZero Long unitPriceFen) {}
}
