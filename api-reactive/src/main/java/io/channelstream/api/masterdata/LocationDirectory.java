package io.channelstream.api.masterdata;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.api.web.ReadDeadline;
import io.channelstream.events.LocationKind;
import io.channelstream.events.LocationUpserted;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Locations of record in PostgreSQL, with a short-lived bounded cache: every stock command and query
 * and every public trace lookup asks who operates a location and where it lies, and master data changes
 * rarely. An upsert through this instance replaces the entry at once; a change made elsewhere shows after
 * at most {@link #CACHE_TTL} (a location read all the time: {@link #REFRESH_AFTER} plus one reload).
 */
@Service
public class LocationDirectory {

    static final Duration CACHE_TTL = Duration.ofSeconds(30);
    static final Duration REFRESH_AFTER = Duration.ofSeconds(10);
    private static final long CACHE_SIZE = 50_000;

    private final DatabaseClient db;
    private final EventPublisher publisher;
    private final AccessPolicy access;
    /** Told the id of each location this instance changed, once the row is written (caches built on it forget it). */
    private final List<Consumer<String>> changeListeners =
            new CopyOnWriteArrayList<>();
    /**
     * An entry read after {@link #REFRESH_AFTER} is reloaded in the background while readers keep the cached
     * value, so a location read all the time never makes a request wait for PostgreSQL (and the hot reads never
     * meet a burst of lookups when many entries expire together); an entry nobody reads expires after
     * {@link #CACHE_TTL}. Concurrent misses of one location share one query, bounded by {@link ReadDeadline}: a lost
     * answer would otherwise hold every later lookup of that location, not just one request.
     */
    private final AsyncLoadingCache<String, Location> cache;

    public LocationDirectory(DatabaseClient db, EventPublisher publisher, AccessPolicy access) {
        this.db = db;
        this.publisher = publisher;
        this.access = access;
        this.cache = Caffeine.newBuilder()
                .maximumSize(CACHE_SIZE).expireAfterWrite(CACHE_TTL).refreshAfterWrite(REFRESH_AFTER)
                .buildAsync((locationId, executor) ->
                        ReadDeadline.within(load(locationId), "location " + locationId).toFuture());
    }

    /** The location if the caller may see it: 404 when unknown, 403 when outside the caller's scope. */
    public Mono<Location> findVisible(Caller caller, String locationId) {
        return find(locationId)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("unknown location '" + locationId + "'")))
                .flatMap(location -> access.canSeeLocation(caller, location)
                        ? Mono.just(location)
                        : Mono.error(new ForbiddenException("you may not see location " + locationId)));
    }

    /** Calls {@code listener} with the id of every location this instance records, after the row is written. */
    public void whenChanged(Consumer<String> listener) {
        changeListeners.add(listener);
    }

    /**
     * The location if it is in memory now (a stale one is refreshed in the background, as by {@link #find}), else
     * null: not read yet, or not on record ({@link #find} tells which).
     */
    public Location cachedOrNull(String locationId) {
        CompletableFuture<Location> known = cache.get(locationId);
        return known.isDone() && !known.isCompletedExceptionally() ? known.getNow(null) : null;
    }

    /** The location, or empty when no such location is on record. */
    public Mono<Location> find(String locationId) {
        CompletableFuture<Location> known = cache.get(locationId);
        if (known.isDone() && !known.isCompletedExceptionally()) {
            return Mono.justOrEmpty(known.getNow(null));
        }
        return Mono.fromFuture(known, true);
    }

    /** The location from PostgreSQL; completes empty when there is no such location (then nothing is cached). */
    private Mono<Location> load(String locationId) {
        return db.sql("""
                        select location_id, name, kind, region_code, latitude, longitude,
                               parent_location_id, dealer_id, safety_stock_units
                        from location where location_id = :id""")
                .bind("id", locationId)
                .map((row, meta) -> new Location(
                        row.get("location_id", String.class),
                        row.get("name", String.class),
                        row.get("kind", String.class),
                        row.get("region_code", String.class),
                        row.get("latitude", Double.class),
                        row.get("longitude", Double.class),
                        row.get("parent_location_id", String.class),
                        row.get("dealer_id", String.class),
                        row.get("safety_stock_units", Integer.class)))
                .one();
    }

    /** Records the location and announces it on the compacted master-data topic. */
    public Mono<Location> upsert(Location location, String source) {
        DatabaseClient.GenericExecuteSpec upsert = db.sql("""
                        insert into location (location_id, name, kind, region_code, latitude, longitude,
                                              parent_location_id, dealer_id, safety_stock_units, updated_at)
                        values (:id, :name, :kind, :region, :lat, :lon, :parent, :dealer, :safety, now())
                        on conflict (location_id) do update set
                            name = excluded.name, kind = excluded.kind, region_code = excluded.region_code,
                            latitude = excluded.latitude, longitude = excluded.longitude,
                            parent_location_id = excluded.parent_location_id, dealer_id = excluded.dealer_id,
                            safety_stock_units = excluded.safety_stock_units, updated_at = now()""")
                .bind("id", location.locationId())
                .bind("name", location.name())
                .bind("kind", location.kind())
                .bind("region", location.regionCode())
                .bind("lat", location.latitude())
                .bind("lon", location.longitude());
        upsert = bindNullable(upsert, "parent", location.parentLocationId(), String.class);
        upsert = bindNullable(upsert, "dealer", location.dealerId(), String.class);
        upsert = bindNullable(upsert, "safety", location.safetyStockUnits(), Integer.class);
        return upsert.fetch().rowsUpdated()
                .doOnSuccess(rows -> {
                    cache.synchronous().invalidate(location.locationId());
                    changeListeners.forEach(listener -> listener.accept(location.locationId()));
                })
                .then(publisher.publish(Topics.LOCATIONS, location.locationId(), toEvent(location, source)))
                .doOnSuccess(published -> cache.put(location.locationId(), CompletableFuture.completedFuture(location)))
                .thenReturn(location);
    }

    static <T> DatabaseClient.GenericExecuteSpec bindNullable(
            DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private static LocationUpserted toEvent(Location location, String source) {
        return LocationUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource(source)
                .setLocationId(location.locationId())
                .setName(location.name())
                .setKind(LocationKind.valueOf(location.kind()))
                .setRegionCode(location.regionCode())
                .setLatitude(location.latitude())
                .setLongitude(location.longitude())
                .setParentLocationId(location.parentLocationId())
                .setDealerId(location.dealerId())
                .setSafetyStockUnits(location.safetyStockUnits())
                .build();
    }
}
