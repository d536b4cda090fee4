package io.channelstream.api.masterdata;

import io.channelstream.events.LocationKind;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** A location as HQ records it; the id is in the path. */
public record LocationRequest(
        @NotBlank @Size(max = 200) String name,
        @NotNull LocationKind kind,
        @NotBlank String regionCode,
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double latitude,
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double longitude,
        @Size(max = 64) String parentLocationId,
        @Size(max = 64) String dealerId,
        @PositiveOrZero Integer safetyStockUnits) {

    Location toLocation(String locationId) {
        return new Location(locationId, name, kind.name(), regionCode, latitude, longitude, parentLocationId,
                dealerId, safetyStockUnits);
    }
}
