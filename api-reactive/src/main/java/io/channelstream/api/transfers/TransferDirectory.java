package io.channelstream.api.transfers;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Who asked for which transfer, between which two locations, in PostgreSQL ({@code transfer}). The API
 * needs the source to find the transfer's state (kept with the source's stock) and both ends to decide who
 * may act, from the moment the request is accepted, before the topology has read it. Where the transfer
 * stands is the topology's, never this table's.
 */
@Service
public class TransferDirectory {

    /** A transfer's fixed facts. */
    public record Entry(String transferId, String fromLocationId, String toLocationId, String requestedBy,
                        Instant requestedAt) {}

    private final DatabaseClient db;

    public TransferDirectory(DatabaseClient db) {
        this.db = db;
    }

    /** Records a new transfer; false when the id is taken already. */
    public Mono<Boolean> add(Entry entry) {
        return db.sql("""
                        insert into transfer (transfer_id, from_location_id, to_location_id, requested_by, requested_at)
                        values (:id, :from, :to, :by, :at)
                        on conflict (transfer_id) do nothing""")
                .bind("id", entry.transferId())
                .bind("from", entry.fromLocationId())
                .bind("to", entry.toLocationId())
                .bind("by", entry.requestedBy())
                .bind("at", OffsetDateTime.ofInstant(entry.requestedAt(), ZoneOffset.UTC))
                .fetch().rowsUpdated()
                .map(rows -> rows == 1);
    }

    /** Takes back a transfer whose request could not be published (nothing else refers to it yet). */
    public Mono<Void> remove(String transferId) {
        return db.sql("delete from transfer where transfer_id = :id").bind("id", transferId).fetch().rowsUpdated()
                .then();
    }

    public Mono<Entry> find(String transferId) {
        return db.sql("""
                        select transfer_id, from_location_id, to_location_id, requested_by, requested_at
                        from transfer where transfer_id = :id""")
                .bind("id", transferId)
                .map((row, meta) -> new Entry(
                        row.get("transfer_id", String.class),
                        row.get("from_location_id", String.class),
                        row.get("to_location_id", String.class),
                        row.get("requested_by", String.class),
                        row.get("requested_at", OffsetDateTime.class).toInstant()))
                .one();
    }
}
