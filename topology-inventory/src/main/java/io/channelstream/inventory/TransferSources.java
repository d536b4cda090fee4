package io.channelstream.inventory;

import io.channelstream.events.InventoryPosition;
import io.channelstream.events.LocationUpserted;
import io.channelstream.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * This instance's share of the places a location short of a SKU could get it from: on the partitions whose
 * active task runs here, every location within the radius that holds units it could give (available: not
 * reserved, not blocked, not under a recall lock, not expired), with its sale rate and safety stock; and the
 * destination's own figures when its partition is here. The caller gathers every instance's share and ranks
 * them ({@link TransferRanking}).
 *
 * <p>The radius is applied first, from the locations' coordinates, so only the stock of the places within it is
 * read: one {@link InventoryReads#stockLevel} read and one sale-rate read per such place, not a scan of the SKU
 * across the whole network (a 300 km radius holds about a tenth of the seed's 1,228 locations). The coordinates
 * come from a snapshot of the global locations store, refreshed every {@link #COORDINATES_REFRESH}: a location
 * recorded since is a candidate source from the next refresh on (the destination itself is always read fresh).
 * Keep one instance per {@link KafkaStreams} to share the snapshot between requests; it is thread-safe.
 */
public final class TransferSources {

    /** How old the coordinates snapshot may get; master data changes rarely. */
    public static final Duration COORDINATES_REFRESH = Duration.ofSeconds(10);

    private static final double EARTH_RADIUS_KM = 6371.0088;

    private final KafkaStreams streams;
    private final InventoryRules rules;
    private volatile Snapshot snapshot; // null until the first request takes one

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

    private record Snapshot(List<LocationUpserted> locations, long takenAtMillis) {}

    private record Nearby(LocationUpserted location, double distanceKm) {}

    public Share share(String sku, String destinationId, double radiusKm, long nowMillis) {
        ReadOnlyKeyValueStore<String, LocationUpserted> locations;
        LocationUpserted destination;
        List<LocationUpserted> everywhere;
        try {
            locations = streams.store(StoreQueryParameters.fromNameAndType(InventoryTopology.LOCATIONS_STORE,
                    QueryableStoreTypes.keyValueStore()));
            destination = locations.get(destinationId);
            everywhere = coordinates(locations, nowMillis);
        } catch (InvalidStateStoreException | IllegalStateException notQueryable) { // not started, or stopping
            return new Share(null, false, List.of(), Set.of(), Map.of());
        }
        if (destination == null) {
            return new Share(null, false, List.of(), Set.of(), Map.of());
        }
        int partitions = Topics.STOCK_MOVEMENTS.partitions();
        Map<Integer, List<Nearby>> nearbyByPartition = new HashMap<>();
        for (LocationUpserted location : everywhere) {
            if (location.getLocationId().equals(destinationId)) {
                continue;
            }
            double distance = distanceKm(destination, location);
            if (distance <= radiusKm) {
                nearbyByPartition.computeIfAbsent(partitionOf(location.getLocationId()), p -> new ArrayList<>())
                        .add(new Nearby(location, distance));
            }
        }
        LocalDate today = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(nowMillis), rules.businessZone());
        InventoryReads reads = new InventoryReads(streams);
        int destinationPartition = partitionOf(destinationId);
        Place here = null;
        List<Place> sources = new ArrayList<>();
        Set<Integer> served = new TreeSet<>();
        Map<Integer, String> refused = new TreeMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            // the destination's read doubles as the probe of whether this partition is active here
            LocalRead<StockLevel> own = reads.stockLevel(destinationId, sku, partition, false);
            ReadOnlyKeyValueStore<String, SaleRate> rates = own instanceof LocalRead.Served<StockLevel>
                    ? saleRates(partition) : null;
            if (!(own instanceof LocalRead.Served<StockLevel> ownStock) || rates == null) {
                refused.put(partition, own instanceof LocalRead.Unavailable<StockLevel> u ? u.reason() : "NOT_ACTIVE");
                continue;
            }
            List<Place> found = new ArrayList<>();
            boolean whole = true;
            for (Nearby nearby : nearbyByPartition.getOrDefault(partition, List.of())) {
                String locationId = nearby.location().getLocationId();
                LocalRead<StockLevel> level = reads.stockLevel(locationId, sku, partition, false);
                if (!(level instanceof LocalRead.Served<StockLevel> stock)) {
                    whole = false; // the partition moved away mid-read: another instance answers for all of it
                    break;
                }
                List<BatchUnits> givable = givable(stock.value(), today);
                if (!givable.isEmpty()) {
                    found.add(place(nearby.location(), nearby.distanceKm(), givable,
                            rates.get(InventoryTopology.saleRateKey(sku, locationId)), nowMillis));
                }
            }
            if (!whole) {
                refused.put(partition, InventoryReads.REBALANCING);
                continue;
            }
            served.add(partition);
            sources.addAll(found);
            if (partition == destinationPartition) {
                here = place(destination, 0, givable(ownStock.value(), today),
                        rates.get(InventoryTopology.saleRateKey(sku, destinationId)), nowMillis);
            }
        }
        sources.sort(Comparator.comparingDouble(Place::distanceKm).thenComparing(Place::locationId));
        return new Share(here, true, List.copyOf(sources), served, refused);
    }

    /** Every location's master data, at most {@link #COORDINATES_REFRESH} old. */
    private List<LocationUpserted> coordinates(ReadOnlyKeyValueStore<String, LocationUpserted> locations,
                                               long nowMillis) {
        Snapshot current = snapshot;
        if (current != null && nowMillis - current.takenAtMillis() < COORDINATES_REFRESH.toMillis()) {
            return current.locations();
        }
        List<LocationUpserted> all = new ArrayList<>();
        try (KeyValueIterator<String, LocationUpserted> iterator = locations.all()) {
            iterator.forEachRemaining(entry -> all.add(entry.value));
        }
        Snapshot taken = new Snapshot(List.copyOf(all), nowMillis); // two requests racing here both read: harmless
        snapshot = taken;
        return taken.locations();
    }

    private ReadOnlyKeyValueStore<String, SaleRate> saleRates(int partition) {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(InventoryTopology.SALE_RATES_STORE,
                    QueryableStoreTypes.<String, SaleRate>keyValueStore()).withPartition(partition));
        } catch (InvalidStateStoreException | IllegalStateException notActiveHere) {
            return null;
        }
    }

    /** Units that could leave: available (recall locks already count as blocked), not expired. */
    private static List<BatchUnits> givable(StockLevel level, LocalDate today) {
        List<BatchUnits> batches = new ArrayList<>();
        for (InventoryPosition position : level.batches()) { // earliest expiry first
            long units = Math.max(0, position.getAvailable());
            boolean expired = position.getExpiryDate() != null && position.getExpiryDate().isBefore(today);
            if (units > 0 && !expired) {
                batches.add(new BatchUnits(position.getBatch(), position.getExpiryDate(), units));
            }
        }
        return batches;
    }

    private static Place place(LocationUpserted location, double distanceKm, List<BatchUnits> earliestFirst,
                               SaleRate rate, long nowMillis) {
        long available = earliestFirst.stream().mapToLong(BatchUnits::units).sum();
        return new Place(location.getLocationId(), location.getName(), location.getKind().name(),
                location.getRegionCode(), location.getDealerId(), distanceKm, location.getSafetyStockUnits(),
                rate == null ? 0 : rate.unitsPerDay(nowMillis), available, List.copyOf(earliestFirst));
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

    /**
     * The partition of a location-keyed topic (and so of the inventory's stores) that holds the location: Kafka's
     * default partitioner, as the producers of {@code stock-movements} and the topology's own sinks use it.
     */
    static int partitionOf(String locationId) {
        byte[] key = locationId.getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % Topics.STOCK_MOVEMENTS.partitions();
    }
}
