package io.channelstream.api.masterdata;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.events.PromotionMechanism;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Planned promotions of record in PostgreSQL ({@code promotion}), announced on {@code master.promotions}. */
@Service
public class PromotionPlan {

    private final DatabaseClient db;
    private final EventPublisher publisher;

    public PromotionPlan(DatabaseClient db, EventPublisher publisher) {
        this.db = db;
        this.publisher = publisher;
    }

    /** Every promotion of the SKU, by first day. */
    public Flux<Promotion> promotionsOf(String sku) {
        return db.sql("""
                        select promotion_id, sku, region_code, first_day, last_day, mechanism, expected_lift
                        from promotion where sku = :sku order by first_day, promotion_id""")
                .bind("sku", sku)
                .map((row, meta) -> new Promotion(
                        row.get("promotion_id", String.class),
                        row.get("sku", String.class),
                        row.get("region_code", String.class),
                        row.get("first_day", LocalDate.class),
                        row.get("last_day", LocalDate.class),
                        row.get("mechanism", String.class),
                        row.get("expected_lift", Double.class)))
                .all();
    }

    public Mono<Promotion> upsert(Promotion promotion, String source) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                        insert into promotion (sku, promotion_id, region_code, first_day, last_day, mechanism,
                                               expected_lift, updated_at)
                        values (:sku, :id, :region, :first, :last, :mechanism, :lift, now())
                        on conflict (sku, promotion_id) do update set
                            region_code = excluded.region_code, first_day = excluded.first_day,
                            last_day = excluded.last_day, mechanism = excluded.mechanism,
                            expected_lift = excluded.expected_lift, updated_at = now()""")
                .bind("sku", promotion.sku())
                .bind("id", promotion.promotionId())
                .bind("region", promotion.regionCode())
                .bind("first", promotion.firstDay())
                .bind("last", promotion.lastDay())
                .bind("mechanism", promotion.mechanism());
        insert = promotion.expectedLift() == null ? insert.bindNull("lift", Double.class)
                : insert.bind("lift", promotion.expectedLift());
        return insert.fetch().rowsUpdated()
                .then(publisher.publish(Topics.PROMOTIONS, Topics.key(promotion.sku(), promotion.promotionId()),
                        toEvent(promotion, source)))
                .thenReturn(promotion);
    }

    private static PromotionPlanned toEvent(Promotion promotion, String source) {
        return PromotionPlanned.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource(source)
                .setPromotionId(promotion.promotionId())
                .setSku(promotion.sku())
                .setRegionCode(promotion.regionCode())
                .setFirstDay(promotion.firstDay())
                .setLastDay(promotion.lastDay())
                .setMechanism(PromotionMechanism.valueOf(promotion.mechanism()))
                .setExpectedLift(promotion.expectedLift())
                .build();
    }
}
