package io.channelstream.diversion;

import io.channelstream.events.AuthorizationPeriod;
import io.channelstream.events.DealerAuthorizationHistory;
import io.channelstream.events.DealerUpserted;
import io.channelstream.events.LocationUpserted;
import io.channelstream.events.PricePeriod;
import io.channelstream.events.RegionAuthorization;
import io.channelstream.events.RegionalPriceHistory;
import io.channelstream.events.RegionalPriceUpserted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processors that keep the global master-data stores. Since Kafka 3.8 (KAFKA-7663) Kafka Streams
 * also replays a global topic through these on restore, so a store rebuilt after a restart holds the
 * same merged history as before. They never throw: a global thread that dies stops the whole instance,
 * and the API already refuses bad master data with a 4xx.
 */
final class MasterDataStores {

    private static final Logger log = LoggerFactory.getLogger(MasterDataStores.class);

    /** Prices of one SKU in one region kept per key; older ones matter only for late facts. */
    static final int PRICE_PERIODS_KEPT = 24;

    private MasterDataStores() {
    }

    /** master.locations: the latest record per location. */
    static final class KeepLocation implements Processor<String, LocationUpserted, Void, Void> {
        private KeyValueStore<String, LocationUpserted> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(DiversionTopology.LOCATIONS_STORE);
        }

        @Override
        public void process(Record<String, LocationUpserted> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }

    /** master.dealers: every authorization period of a dealer, merged from the events' own history. */
    static final class RecordDealerAuthorization implements Processor<String, DealerUpserted, Void, Void> {
        private KeyValueStore<String, DealerAuthorizationHistory> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(DiversionTopology.DEALER_AUTHORIZATIONS_STORE);
        }

        @Override
        public void process(Record<String, DealerUpserted> record) {
            if (record.key() == null) {
                return;
            }
            DealerUpserted dealer = record.value();
            if (dealer == null) {
                store.delete(record.key());
                return;
            }
            store.put(record.key(), merge(store.get(record.key()), dealer));
        }

        static DealerAuthorizationHistory merge(DealerAuthorizationHistory known, DealerUpserted dealer) {
            TreeMap<Instant, List<String>> periods = new TreeMap<>();
            if (known != null) {
                known.getPeriods().forEach(period -> periods.put(period.getEffectiveFrom(), period.getRegionCodes()));
            }
            for (RegionAuthorization earlier : dealer.getAuthorizationHistory()) {
                periods.put(earlier.getEffectiveFrom(), List.copyOf(earlier.getRegionCodes()));
            }
            // the event's own authorization is the one it announces: it wins over a history entry of the same time
            periods.put(dealer.getEffectiveFrom(), List.copyOf(dealer.getAuthorizedRegionCodes()));
            List<AuthorizationPeriod> merged = new ArrayList<>(periods.size());
            periods.forEach((from, codes) -> merged.add(AuthorizationPeriod.newBuilder()
                    .setEffectiveFrom(from).setRegionCodes(codes).build()));
            return DealerAuthorizationHistory.newBuilder()
                    .setDealerId(dealer.getDealerId())
                    .setName(dealer.getName())
                    .setTier(dealer.getTier())
                    .setRegionalManagerRegionCode(dealer.getRegionalManagerRegionCode())
                    .setPeriods(merged)
                    .build();
        }
    }

    /** master.regional-prices: the price periods of one SKU in one region. */
    static final class RecordRegionalPrice implements Processor<String, RegionalPriceUpserted, Void, Void> {
        private KeyValueStore<String, RegionalPriceHistory> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(DiversionTopology.REGIONAL_PRICES_STORE);
        }

        @Override
        public void process(Record<String, RegionalPriceUpserted> record) {
            if (record.key() == null) {
                return;
            }
            RegionalPriceUpserted price = record.value();
            if (price == null) {
                store.delete(record.key());
                return;
            }
            String key = DiversionTopology.priceKey(price.getSku(), price.getRegionCode());
            if (!key.equals(record.key())) {
                log.warn("regional price keyed '{}' is for {}; stored under {}", record.key(), key, key);
            }
            RegionalPriceHistory known = store.get(key);
            List<PricePeriod> periods = new ArrayList<>();
            if (known != null) {
                known.getPeriods().stream()
                        .filter(period -> !period.getEffectiveFrom().equals(price.getEffectiveFrom()))
                        .forEach(periods::add);
            }
            periods.add(PricePeriod.newBuilder()
                    .setListPriceFen(price.getListPriceFen())
                    .setFloorPriceFen(price.getFloorPriceFen())
                    .setEffectiveFrom(price.getEffectiveFrom())
                    .build());
            periods.sort(Comparator.comparing(PricePeriod::getEffectiveFrom));
            if (periods.size() > PRICE_PERIODS_KEPT) {
                periods = new ArrayList<>(periods.subList(periods.size() - PRICE_PERIODS_KEPT, periods.size()));
            }
            store.put(key, RegionalPriceHistory.newBuilder()
                    .setSku(price.getSku())
                    .setRegionCode(price.getRegionCode())
                    .setPeriods(periods)
                    .build());
        }
    }
}
