package io.channelstream.diversion;

import io.channelstream.events.Alert;
import io.channelstream.events.AlertType;
import io.channelstream.events.PricePeriod;
import io.channelstream.events.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The price-violation alert, the same for an order line, a sale scan and a sale at a till. */
final class PriceFloor {

    private PriceFloor() {
    }

    static Alert.Builder belowFloorAlert(String conditionKey, String sku, String regionCode, long priceFen,
                                         PricePeriod price, Instant at, String whatWasSold,
                                         Map<String, String> moreEvidence) {
        Map<String, String> evidence = new LinkedHashMap<>(moreEvidence);
        evidence.put("sku", sku);
        evidence.put("regionCode", regionCode);
        evidence.put("priceFen", Long.toString(priceFen));
        evidence.put("floorPriceFen", Long.toString(price.getFloorPriceFen()));
        evidence.put("listPriceFen", Long.toString(price.getListPriceFen()));
        evidence.put("shortfallFen", Long.toString(price.getFloorPriceFen() - priceFen));
        evidence.put("priceEffectiveFrom", price.getEffectiveFrom().toString());
        return DiversionAlerts.raised(AlertType.PRICE_BELOW_FLOOR, Severity.WARNING, conditionKey, regionCode, at,
                        DiversionAlerts.SOURCE,
                        "SKU " + sku + " at " + priceFen + " fen in region " + regionCode + " (" + whatWasSold
                                + ") is below the floor price of " + price.getFloorPriceFen() + " fen",
                        evidence)
                .setSku(sku);
    }
}
