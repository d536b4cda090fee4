package io.channelstream.api.masterdata;

import io.channelstream.events.ProductCategory;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** A product as HQ records it; the SKU is in the path. */
public record ProductRequest(
        @NotBlank String gtin,
        @NotBlank @Size(max = 200) String name,
        @NotNull ProductCategory category,
        @Size(max = 100) String sizeLabel,
        @NotNull @Positive Integer shelfLifeDays,
        @NotNull @PositiveOrZero Integer expiryWarningDays) {

    Product toProduct(String sku) {
        return new Product(sku, Gtin.normalised(gtin), name, category.name(), sizeLabel, shelfLifeDays,
                expiryWarningDays);
    }
}
