package io.channelstream.api.subscriptions;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Partner subscriptions of record in PostgreSQL. */
@Component
public class SubscriptionStore {

    private static final String COLUMNS = """
            subscription_id, partner_id, event_types, region_codes, dealer_ids, delivery, webhook_url, max_attempts,
            active, created_at, updated_at""";

    private final DatabaseClient db;

    public SubscriptionStore(DatabaseClient db) {
        this.db = db;
    }

    /** What a subscription is, as validated by the controller. */
    record Definition(List<String> eventTypes, List<String> regionCodes, List<String> dealerIds, String delivery,
                      String webhookUrl, String secret, int maxAttempts) {}

    Mono<Subscription> create(String subscriptionId, String partnerId, Definition definition, String createdBy) {
        return bind(db.sql("""
                        insert into partner_subscription (subscription_id, partner_id, event_types, region_codes,
                            dealer_ids, delivery, webhook_url, secret, max_attempts, created_by)
                        values (:id, :partner, :types::text[], :regions::text[], :dealers::text[], :delivery, :url,
                            :secret, :maxAttempts, :createdBy)
                        returning""" + " " + COLUMNS), definition)
                .bind("id", subscriptionId)
                .bind("partner", partnerId)
                .bind("createdBy", createdBy)
                .map(SubscriptionStore::view)
                .one();
    }

    Mono<Subscription> replace(String subscriptionId, Definition definition) {
        return bind(db.sql("""
                        update partner_subscription set event_types = :types::text[], region_codes = :regions::text[],
                            dealer_ids = :dealers::text[], delivery = :delivery, webhook_url = :url, secret = :secret,
                            max_attempts = :maxAttempts, updated_at = now()
                        where subscription_id = :id
                        returning""" + " " + COLUMNS), definition)
                .bind("id", subscriptionId)
                .map(SubscriptionStore::view)
                .one();
    }

    Mono<Subscription> setActive(String subscriptionId, boolean active) {
        return db.sql("update partner_subscription set active = :active, updated_at = now() "
                        + "where subscription_id = :id returning " + COLUMNS)
                .bind("active", active)
                .bind("id", subscriptionId)
                .map(SubscriptionStore::view)
                .one();
    }

    Mono<Subscription> find(String subscriptionId) {
        return db.sql("select " + COLUMNS + " from partner_subscription where subscription_id = :id")
                .bind("id", subscriptionId)
                .map(SubscriptionStore::view)
                .one();
    }

    Flux<Subscription> ofPartner(String partnerId) {
        return db.sql("select " + COLUMNS + " from partner_subscription where partner_id = :partner order by created_at")
                .bind("partner", partnerId)
                .map(SubscriptionStore::view)
                .all();
    }

    /** Deletes the subscription and, with it, everything queued for it. */
    Mono<Long> delete(String subscriptionId) {
        return db.sql("delete from partner_subscription where subscription_id = :id")
                .bind("id", subscriptionId)
                .fetch().rowsUpdated();
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Definition d) {
        spec = spec.bind("types", d.eventTypes().toArray(String[]::new))
                .bind("regions", d.regionCodes().toArray(String[]::new))
                .bind("dealers", d.dealerIds().toArray(String[]::new))
                .bind("delivery", d.delivery())
                .bind("maxAttempts", d.maxAttempts());
        spec = d.webhookUrl() == null ? spec.bindNull("url", String.class) : spec.bind("url", d.webhookUrl());
        return d.secret() == null ? spec.bindNull("secret", String.class) : spec.bind("secret", d.secret());
    }

    private static Subscription view(Readable row) {
        return new Subscription(
                row.get("subscription_id", String.class),
                row.get("partner_id", String.class),
                Arrays.asList(row.get("event_types", String[].class)),
                Arrays.asList(row.get("region_codes", String[].class)),
                Arrays.asList(row.get("dealer_ids", String[].class)),
                row.get("delivery", String.class),
                row.get("webhook_url", String.class),
                row.get("max_attempts", Integer.class),
                Boolean.TRUE.equals(row.get("active", Boolean.class)),
                row.get("created_at", Instant.class),
                row.get("updated_at", Instant.class));
    }
}
