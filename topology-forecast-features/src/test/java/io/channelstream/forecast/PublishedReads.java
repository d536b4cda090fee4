package io.channelstream.forecast;

import io.channelstream.events.DemandFeatures;
import io.channelstream.events.OrderSuggestion;
import java.util.function.Function;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The published features or suggestion of a {@code dealerId|sku}, read from the store the API reads. */
interface PublishedReads<V> {

    V get(String dealerSku);

    static PublishedReads<DemandFeatures> features(TopologyTestDriver driver) {
        return part(driver, DealerSkuOutlook.Outlook::features);
    }

    static PublishedReads<OrderSuggestion> suggestions(TopologyTestDriver driver) {
        return part(driver, DealerSkuOutlook.Outlook::suggestion);
    }

    private static <V> PublishedReads<V> part(TopologyTestDriver driver, Function<DealerSkuOutlook.Outlook, V> part) {
        KeyValueStore<String, DealerSkuOutlook.Outlook> store =
                driver.getKeyValueStore(ForecastTopology.PUBLISHED_STORE);
        return key -> {
            DealerSkuOutlook.Outlook outlook = store.get(key);
            return outlook == null ? null : part.apply(outlook);
        };
    }
}
