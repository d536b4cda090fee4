package io.channelstream.api.masterdata;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.web.ReadDeadline;
import io.channelstream.events.ProductCategory;
import io.channelstream.events.ProductUpserted;
import io.channelstream.schemas.Topics;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.time.Instant;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Products of record in PostgreSQL ({@code product}), announced on {@code master.products}. Reads go
 * through a bounded cache: every public trace lookup names a product, and the catalogue changes rarely.
 * An upsert through this instance replaces the entry at once; a change made elsewhere (another instance,
 * SQL) shows after at most {@link #CACHE_TTL}.
 */
@Service
public class ProductCatalog {

    static final Duration CACHE_TTL = Duration.ofSeconds(30);
    private static final long CACHE_SIZE = 10_000;

    private final DatabaseClient db;
    private final EventPublisher publisher;
    /** Told the id of each product this instance changed, once the row is written (caches built on it forget it). */
    private final List<Consumer<String>> changeListeners =
            new CopyOnWriteArrayList<>();
    private final Cache<String, Product> cache = Caffeine.newBuilder()
            .maximumSize(CACHE_SIZE).expireAfterWrite(CACHE_TTL).build();

    public ProductCatalog(DatabaseClient db, EventPublisher publisher) {
        this.db = db;
        this.publisher = publisher;
    }

    /** The product, or empty when no such SKU is on record (an unknown SKU is not cached). */
    /** Calls {@code listener} with the id of every product this instance records, after the row is written. */
    public void whenChanged(Consumer<String> listener) {
        changeListeners.add(listener);
    }

    /** The product if it is in memory now, else null (then {@link #find} reads it): for callers that go on at once. */
    public Product cachedOrNull(String sku) {
        return cache.getIfPresent(sku);
    }

    public Mono<Product> find(String sku) {
        Product cached = cache.getIfPresent(sku);
        if (cached != null) {
            return Mono.just(cached);
        }
        return ReadDeadline.within(db.sql("""
                        select sku, gtin, name, category, size_label, shelf_life_days, expiry_warning_days
                        from product where sku = :sku""")
                .bind("sku", sku)
                .map((row, meta) -> new Product(
                        row.get("sku", String.class),
                        row.get("gtin", String.class),
                        row.get("name", String.class),
                        row.get("category", String.class),
                        row.get("size_label", String.class),
                        row.get("shelf_life_days", Integer.class),
                        row.get("expiry_warning_days", Integer.class)))
                .one(), "product " + sku)
                .doOnNext(product -> cache.put(sku, product));
    }

    /** The SKU already carrying this GTIN, if another one does (a GTIN names exactly one product). */
    public Mono<String> skuWithGtin(String gtin) {
        return db.sql("select sku from product where gtin = :gtin")
                .bind("gtin", gtin)
                .map((row, meta) -> row.get("sku", String.class))
                .one();
    }

    public Mono<Product> upsert(Product product, String source) {
        DatabaseClient.GenericExecuteSpec upsert = db.sql("""
                        insert into product (sku, gtin, name, category, size_label, shelf_life_days,
                                             expiry_warning_days, updated_at)
                        values (:sku, :gtin, :name, :category, :size, :shelfLife, :warning, now())
                        on conflict (sku) do update set gtin = excluded.gtin, name = excluded.name,
                            category = excluded.category, size_label = excluded.size_label,
                            shelf_life_days = excluded.shelf_life_days,
                            expiry_warning_days = excluded.expiry_warning_days, updated_at = now()""")
                .bind("sku", product.sku())
                .bind("gtin", product.gtin())
                .bind("name", product.name())
                .bind("category", product.category())
                .bind("shelfLife", product.shelfLifeDays())
                .bind("warning", product.expiryWarningDays());
        upsert = LocationDirectory.bindNullable(upsert, "size", product.sizeLabel(), String.class);
        return upsert.fetch().rowsUpdated()
                // forget the old version as soon as the row changed, even if announcing it fails
                .doOnSuccess(rows -> {
                    cache.invalidate(product.sku());
                    changeListeners.forEach(listener -> listener.accept(product.sku()));
                })
                .then(publisher.publish(Topics.PRODUCTS, product.sku(), toEvent(product, source)))
                .thenReturn(product);
    }

    private static ProductUpserted toEvent(Product product, String source) {
        return ProductUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource(source)
                .setSku(product.sku())
                .setGtin(product.gtin())
                .setName(product.name())
                .setCategory(ProductCategory.valueOf(product.category()))
                .setSizeLabel(product.sizeLabel())
                .setShelfLifeDays(product.shelfLifeDays())
                .setExpiryWarningDays(product.expiryWarningDays())
                .build();
    }
}
