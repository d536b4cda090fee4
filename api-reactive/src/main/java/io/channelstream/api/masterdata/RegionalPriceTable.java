package io.channelstream.api.masterdata;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.events.RegionalPriceUpserted;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Regional prices of record in PostgreSQL ({@code regional_price}), announced on {@code master.regional-prices}. */
@Service
public class RegionalPriceTable {

    private final DatabaseClient db;
    private final EventPublisher publisher;

    public RegionalPriceTable(DatabaseClient db, EventPublisher publisher) {
        this.db = db;
        this.publisher = publisher;
    }

    /** Every price of the SKU, by region then effective time. */
    public Flux<RegionalPrice> pricesOf(String sku) {
        return db.sql("""
                        select sku, region_code, effective_from, list_price_fen, floor_price_fen
                        from regional_price where sku = :sku order by region_code, effective_from""")
                .bind("sku", sku)
                .map((row, meta) -> new RegionalPrice(
                        row.get("sku", String.class),
                        row.get("region_code", String.class),
                        row.get("effective_from", OffsetDateTime.class).toInstant(),
                        row.get("list_price_fen", Long.class),
                        row.get("floor_price_fen", Long.class)))
                .all();
    }

    public Mono<RegionalPrice> upsert(RegionalPrice price, String source) {
        return db.sql("""
                        insert into regional_price (sku, region_code, effective_from, list_price_fen,
                                                    floor_price_fen, updated_at)
                        values (:sku, :region, :from, :list, :floor, now())
                        on conflict (sku, region_code, effective_from) do update set
                            list_price_fen = excluded.list_price_fen, floor_price_fen = excluded.floor_price_fen,
                            updated_at = now()""")
                .bind("sku", price.sku())
                .bind("region", price.regionCode())
                .bind("from", OffsetDateTime.ofInstant(price.effectiveFrom(), ZoneOffset.UTC))
                .bind("list", price.listPriceFen())
                .bind("floor", price.floorPriceFen())
                .fetch().rowsUpdated()
                .then(publisher.publish(Topics.REGIONAL_PRICES, Topics.key(price.sku(), price.regionCode()),
                        toEvent(price, source)))
                .thenReturn(price);
    }

    private static RegionalPriceUpserted toEvent(RegionalPrice price, String source) {
        return RegionalPriceUpserted.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource(source)
                .setSku(price.sku())
                .setRegionCode(price.regionCode())
                .setListPriceFen(price.listPriceFen())
                .setFloorPriceFen(price.floorPriceFen())
                .setEffectiveFrom(price.effectiveFrom())
                .build();
    }
}
