package io.channelstream.api.diversion;

import io.channelstream.events.ScannerRole;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A trace code scanned somewhere: by a store's till, a dealer receiving goods, a warehouse, an inspector,
 * or a consumer's app. The place is a region code, or a location of record (whose region is used), or both.
 *
 * @param code         the code as printed (GS1 Digital Link or a serial)
 * @param unitPriceFen the selling price per unit in fen, when the scan is a sale (checked against the floor)
 * @param occurredAt   when the scan happened (defaults to now); event time for every rule
 */
public record ScanRequest(
        @NotBlank @Size(max = 256) String code,
        @Size(max = 64) String placeLocationId,
        @Size(max = 6) String regionCode,
        @DecimalMin("-90") @DecimalMax("90") Double latitude,
        @DecimalMin("-180") @DecimalMax("180") Double longitude,
        @NotNull ScannerRole scannerRole,
        @PositiveOrZero Long unitPriceFen,
        Instant occurredAt) {}
