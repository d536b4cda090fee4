package io.channelstream.forecast;

import io.channelstream.forecast.model.BundlePartners;
import io.channelstream.schemas.Topics;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Exact co-purchase counts of the orders of one task (one partition of {@code orders}), per CST day.
 *
 * <p>What is kept durably is each counted order's basket (its distinct SKUs): one record per order, key
 * {@code yyyy-MM-dd|orderId}, in a logged key-value store, so an order costs one write and one changelog
 * record however many lines it has. The counts (orders per day, orders holding a SKU, orders holding two SKUs)
 * are an index in memory over those baskets, built from the store when the task starts ({@link #load}, called
 * by the processor once the store is restored) and kept with every basket added or taken back. Counting each
 * ordered SKU pair into the store instead cost a read, a write and a changelog record per pair: 1,722 for an
 * order of 42 lines, 84% of the stream thread in the benchmark.
 *
 * <p>Reads: {@link #tally} (the processor and the tests) and the Interactive Query {@link WindowQuery} (the
 * API, through {@link ForecastReads#coPurchaseTally}). The stream thread writes and query threads read, so the
 * index is guarded by this store's monitor; a query never touches RocksDB or the store's {@code Position}.
 */
final class CoPurchaseStore implements StateStore {

    /** The co-purchase counts of one focal SKU over the CST days {@code fromDay..toDay}, on one partition. */
    record WindowQuery(String sku, LocalDate fromDay, LocalDate toDay) implements Query<BundlePartners.Tally> {
        WindowQuery {
            Objects.requireNonNull(sku, "sku");
            Objects.requireNonNull(fromDay, "fromDay");
            Objects.requireNonNull(toDay, "toDay");
        }
    }

    private final KeyValueStore<String, String> baskets;
    private final CoPurchaseIndex index = new CoPurchaseIndex();
    private boolean loaded;

    private CoPurchaseStore(KeyValueStore<String, String> baskets) {
        this.baskets = baskets;
    }

    static StoreBuilder<CoPurchaseStore> builder(String name) {
        return new Builder(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                Serdes.String()));
    }

    // ---- what the topology does with it

    /** One counted order: its distinct SKUs, on the CST day it was placed. */
    synchronized void add(LocalDate day, String orderId, Collection<String> skus) {
        String key = key(day, orderId);
        if (baskets.get(key) != null) {
            return; // already counted (the same order again)
        }
        baskets.put(key, String.join(Topics.KEY_SEPARATOR, skus));
        if (loaded) {
            index.add(day, orderId, skus);
        }
    }

    /** A counted order taken back (cancelled while its week was open): it leaves every count. */
    synchronized void remove(LocalDate day, String orderId) {
        String key = key(day, orderId);
        if (baskets.get(key) == null) {
            return;
        }
        baskets.delete(key);
        if (loaded) {
            index.remove(day, orderId);
        }
    }

    /** Drops the days before {@code oldestKept}: they left every window the API answers. */
    synchronized void forgetDaysBefore(LocalDate oldestKept) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, String> range = baskets.range("0000", oldestKept.toString())) {
            while (range.hasNext()) {
                String key = range.next().key;
                if (key.compareTo(oldestKept.toString()) < 0) {
                    old.add(key);
                }
            }
        }
        old.forEach(baskets::delete);
        index.forgetDaysBefore(oldestKept);
    }

    /** Builds the index from the stored baskets: when the task starts, after its store was restored. */
    synchronized void load() {
        index.clear();
        try (KeyValueIterator<String, String> all = baskets.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> basket = all.next();
                int bar = basket.key.indexOf('|');
                index.add(LocalDate.parse(basket.key.substring(0, bar)), basket.key.substring(bar + 1),
                        Arrays.asList(basket.value.split("\\|")));
            }
        }
        loaded = true;
    }

    /** The counts of {@code sku} and its partners over the CST days {@code fromDay..toDay}. */
    synchronized BundlePartners.Tally tally(String sku, LocalDate fromDay, LocalDate toDay) {
        if (!loaded) {
            throw new IllegalStateException("co-purchase index of " + name() + " not loaded yet");
        }
        return index.tally(sku, fromDay, toDay);
    }

    private static String key(LocalDate day, String orderId) {
        return day + Topics.KEY_SEPARATOR + orderId;
    }

    // ---- a state store: the baskets' store does the storing, logging and restoring

    @Override
    public String name() {
        return baskets.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        baskets.init(context, root);
    }

    @Override
    public void flush() {
        baskets.flush();
    }

    @Override
    public synchronized void close() {
        loaded = false;
        index.clear();
        baskets.close();
    }

    @Override
    public boolean persistent() {
        return baskets.persistent();
    }

    @Override
    public boolean isOpen() {
        return baskets.isOpen();
    }

    @Override
    public Position getPosition() {
        return baskets.getPosition();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        if (!(query instanceof WindowQuery window)) {
            return QueryResult.forUnknownQueryType(query, this);
        }
        synchronized (this) {
            if (!loaded) {
                return QueryResult.forFailure(FailureReason.NOT_UP_TO_BOUND,
                        "the co-purchase counts of this partition are still being restored");
            }
            return (QueryResult<R>) QueryResult.forResult(tally(window.sku(), window.fromDay(), window.toDay()));
        }
    }

    private static final class Builder implements StoreBuilder<CoPurchaseStore> {
        private final StoreBuilder<KeyValueStore<String, String>> baskets;

        Builder(StoreBuilder<KeyValueStore<String, String>> baskets) {
            this.baskets = baskets;
        }

        @Override
        public StoreBuilder<CoPurchaseStore> withCachingEnabled() {
            throw new UnsupportedOperationException("the co-purchase index is its own cache");
        }

        @Override
        public StoreBuilder<CoPurchaseStore> withCachingDisabled() {
            baskets.withCachingDisabled();
            return this;
        }

        @Override
        public StoreBuilder<CoPurchaseStore> withLoggingEnabled(Map<String, String> config) {
            baskets.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<CoPurchaseStore> withLoggingDisabled() {
            baskets.withLoggingDisabled();
            return this;
        }

        @Override
        public CoPurchaseStore build() {
            return new CoPurchaseStore(baskets.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return baskets.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return baskets.loggingEnabled();
        }

        @Override
        public String name() {
            return baskets.name();
        }
    }
}
