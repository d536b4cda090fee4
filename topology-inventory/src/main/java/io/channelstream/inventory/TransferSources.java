package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationUpserted;
import io.channelstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's share of the places a location short of a SKU could get it from: on the partitions whose
 * active task runs here, every location within the radius that holds units it could give (available: not
 * reserved, not blocked, not under a recall lock, not expired), with its sale rate and safety stock; and the
 * destination's own figures when its partition is here. The stock comes from the network view's facade
 * ({@link NetworkReads#holdings}); the sale rates from {@link InventoryTopology#SALE_RATES_STORE}. The caller
 * gathers every instance's share and ranks them ({@link TransferRanking}).
 */
public final class TransferSources {

    private static final String HIGH = "\uffff";
    private static final double EARTH_RADIUS_KM = 6371.0088;

    private final KafkaStreams streams;
    private final InventoryRules rules;

    public TransferSources(KafkaStreams streams) {
        this(streams, InventoryRules.defaults());
    }

    TransferSources(KafkaStreams streams, InventoryRules rules) {
        this.streams = streams;
        this.rules = rules;
    }

    /** Units of one batch a place could give, earliest expiry first in a place's list. */
    public record BatchUnits(String batch, LocalDate expiryDate, long units) {}

    /**
     * A location as a transfer needs it.
     *
     * @param distanceKm     great-circle distance to the destination (0 for the destination itself)
     * @param saleRatePerDay its decayed sale rate of the SKU ({@link SaleRate}), 0 without sales
     * @param available      units it holds that could be given (sum of {@code batches})
     */
    public record Place(String locationId, String name, String kind, String regionCode, String dealerId,
                        double distanceKm, Integer safetyStockUnits, double saleRatePerDay, long available,
                        List<BatchUnits> batches) {}

    /**
     * @param destination        the destination's figures, when its partition is served here (else null)
     * @param destinationKnown   false when this instance's master data has no such location (yet)
     * @param sources            places within the radius holding units to give, nearest first
     * @param servedPartitions   partitions answered from their active copy here
     * @param refusedPartitions  partitions this instance did not answer for, with the reason
     */
    public record Share(Place destination, boolean destinationKnown, List<Place> sources,
                        Set<Integer> servedPartitions, Map<Integer, String> refusedPartitions) {}

    public Share share(String sku, String destinationId, double radiusKm, long nowMillis) {
        ReadOnlyKeyValueStore<String, LocationUpserted> locations;
        try {
            locations = streams.store(StoreQueryParameters.fromNameAndType(InventoryTopology.LOCATIONS_STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException | IllegalStateException notQueryable) { // not started, or stopping
            return new Share(null, false, List.of(), Set.of(), Map.of());
        }
        LocationUpserted destination = locations.get(destinationId);
        if (destination == null) {
            return new Share(null, false, List.of(), Set.of(), Map.of());
        }
        Map<Integer, String> refused = new TreeMap<>();
        Map<String, SaleRate> rates = saleRates(sku, refused);
        NetworkReads.Share stock = new NetworkReads(streams).holdings(sku, null);
        Set<Integer> served = new TreeSet<>(stock.servedPartitions());
        stock.refusedPartitions().forEach(refused::putIfAbsent);
        served.removeAll(refused.keySet()); // a partition must have answered both reads

        LocalDate today = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(nowMillis), rules.businessZone());
        Map<String, List<BatchUnits>> givable = new LinkedHashMap<>();
        for (NetworkReads.Holding holding : stock.holdings()) {
            InventoryPosition position = holding.position();
            long units = Math.max(0, position.getAvailable());
            boolean expired = position.getExpiryDate() != null && position.getExpiryDate().isBefore(today);
            List<BatchUnits> batches = givable.computeIfAbsent(holding.locationId(), id -> new ArrayList<>());
            if (units > 0 && !expired) {
                batches.add(new BatchUnits(position.getBatch(), position.getExpiryDate(), units));
            }
        }
        Place here = null;
        if (served.contains(partitionOf(destinationId))) {
            here = place(destination, destination, givable.getOrDefault(destinationId, List.of()),
                    rates.get(destinationId), nowMillis);
        }
        List<Place> sources = new ArrayList<>();
        for (Map.Entry<String, List<BatchUnits>> entry : givable.entrySet()) {
            String locationId = entry.getKey();
            LocationUpserted location = locations.get(locationId);
            if (locationId.equals(destinationId) || entry.getValue().isEmpty() || location == null
                    || !served.contains(partitionOf(locationId))) {
                continue; // not a source: the destination, nothing to give, nowhere known, or not answered here
            }
            if (distanceKm(destination, location) <= radiusKm) {
                sources.add(place(destination, location, entry.getValue(), rates.get(locationId), nowMillis));
            }
        }
        sources.sort(java.util.Comparator.comparingDouble(Place::distanceKm).thenComparing(Place::locationId));
        return new Share(here, true, List.copyOf(sources), served, refused);
    }

    /** Each partition's sale rates of the SKU, by location; a partition not active here is refused. */
    private Map<String, SaleRate> saleRates(String sku, Map<Integer, String> refused) {
        Map<String, SaleRate> rates = new HashMap<>();
        String prefix = Topics.key(sku, "");
        for (int partition = 0; partition < Topics.STOCK_MOVEMENTS.partitions(); partition++) {
            try {
                ReadOnlyKeyValueStore<String, SaleRate> store = streams.store(StoreQueryParameters
                        .fromNameAndType(InventoryTopology.SALE_RATES_STORE,
                                QueryableStoreTypes.<String, SaleRate>keyValueStore())
                        .withPartition(partition));
                try (KeyValueIterator<String, SaleRate> range = store.range(prefix, prefix + HIGH)) {
                    while (range.hasNext()) {
                        KeyValue<String, SaleRate> entry = range.next();
                        rates.put(entry.key.substring(prefix.length()), entry.value);
                    }
                }
            } catch (InvalidStateStoreException | IllegalStateException notActiveHere) {
                refused.put(partition, notActiveHere.getClass().getSimpleName());
            }
        }
        return rates;
    }

    private static Place place(LocationUpserted destination, LocationUpserted location, List<BatchUnits> batches,
                               SaleRate rate, long nowMillis) {
        List<BatchUnits> earliestFirst = new ArrayList<>(batches);
        earliestFirst.sort(java.util.Comparator.comparing(BatchUnits::expiryDate,
                java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())).thenComparing(BatchUnits::batch));
        long available = earliestFirst.stream().mapToLong(BatchUnits::units).sum();
        return new Place(location.getLocationId(), location.getName(), location.getKind().name(),
                location.getRegionCode(), location.getDealerId(), distanceKm(destination, location),
                location.getSafetyStockUnits(), rate == null ? 0 : rate.unitsPerDay(nowMillis), available,
                List.copyOf(earliestFirst));
    }

    /** Great-circle (haversine) distance; roads are longer, which the transport rate per km absorbs. */
    static double distanceKm(LocationUpserted a, LocationUpserted b) {
        double lat1 = Math.toRadians(a.getLatitude());
        double lat2 = Math.toRadians(b.getLatitude());
        double dLat = lat2 - lat1;
        double dLon = Math.toRadians(b.getLongitude() - a.getLongitude());
        double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(lat1) * Math.cos(lat2) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    /** The partition of a location-keyed topic that holds the location (Kafka's default partitioner). */
    static int partitionOf(String locationId) {
        byte[] key = locationId.getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % Topics.STOCK_MOVEMENTS.partitions();
    }
}
