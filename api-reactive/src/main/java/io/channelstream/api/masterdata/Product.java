package io.channelstream.api.masterdata;

/**
 * A product (SKU) of record.
 *
 * @param gtin              GS1 GTIN of the consumer unit (8, 12, 13 or 14 digits, correct check digit)
 * @param category          a ProductCategory name
 * @param shelfLifeDays     days from production to expiry
 * @param expiryWarningDays days before expiry at which stock counts as near expiry
 */
public record Product(
        String sku,
        String gtin,
        String name,
        String category,
        String sizeLabel,
        int shelfLifeDays,
        int expiryWarningDays) {}
