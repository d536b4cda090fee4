package io.channelstream.api.alerts;

import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.FieldProblem;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.events.Alert;
import io.channelstream.events.AlertStatus;
import io.channelstream.regions.RegionTree;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * The alert inbox in PostgreSQL: each alert stored once (by its eventId), its state OPEN → ACKNOWLEDGED →
 * RESOLVED with who and when. Every change takes the next number of one counter inside its transaction
 * ({@code next_alert_change()}), so changes become visible in number order; the live stream and
 * {@code Last-Event-ID} resume rely on that.
 */
@Service
public class AlertInbox {

    static final String COLUMNS = """
            alert_id, change_seq, condition_key, alert_type, severity, state, region_code, location_id, dealer_id,
            sku, batch, code, summary, evidence, source, occurred_at, received_at, acknowledged_by,
            acknowledged_at, resolved_by, resolved_at, resolution""";

    private static final TypeReference<Map<String, String>> EVIDENCE = new TypeReference<>() { };

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final RegionTree regions;
    private final AccessPolicy access;
    private final AlertFanOut fanOut;
    private final ObjectMapper json;

    public AlertInbox(DatabaseClient db, ReactiveTransactionManager transactions, RegionTree regions,
                      AccessPolicy access, AlertFanOut fanOut, ObjectMapper json) {
        this.db = db;
        this.tx = TransactionalOperator.create(transactions);
        this.regions = regions;
        this.access = access;
        this.fanOut = fanOut;
        this.json = json;
    }

    /**
     * Applies alert events in one transaction: a RAISED event opens an alert (a redelivered one changes
     * nothing), a CLEARED event resolves the unresolved alerts of its condition (once). Completes with
     * the highest change number written (0 when nothing changed), after announcing it.
     */
    public Mono<Long> record(List<Alert> alerts) {
        return lockChangeCounter()
                .thenMany(Flux.fromIterable(runs(alerts)))
                .concatMap(run -> run.get(0).getStatus() == AlertStatus.CLEARED ? clear(run.get(0)) : raise(run))
                .reduce(0L, Math::max)
                .as(tx::transactional)
                .flatMap(highest -> highest > 0 ? fanOut.announce(highest).thenReturn(highest) : Mono.just(highest));
    }

    /**
     * The batch cut into runs that keep its order: consecutive RAISED events together (one statement), each
     * CLEARED event on its own (it must see the alerts raised before it, and precede those raised after).
     */
    private static List<List<Alert>> runs(List<Alert> alerts) {
        List<List<Alert>> runs = new ArrayList<>();
        List<Alert> raised = null;
        for (Alert alert : alerts) {
            if (alert.getStatus() == AlertStatus.CLEARED) {
                raised = null;
                runs.add(List.of(alert));
            } else {
                if (raised == null) {
                    raised = new ArrayList<>();
                    runs.add(raised);
                }
                raised.add(alert);
            }
        }
        return runs;
    }

    /**
     * Opens the alerts of a run of RAISED events in one statement, numbering the changes in the run's order
     * (PostgreSQL evaluates the volatile {@code next_alert_change()} after the sort). An alert already in the
     * inbox (a redelivery) changes nothing. Completes with the highest change number written, or 0.
     */
    private Mono<Long> raise(List<Alert> run) {
        if (run.size() == 1) {
            return raise(run.get(0));
        }
        int n = run.size();
        Integer[] ordinals = new Integer[n];
        String[] ids = new String[n];
        String[] conditions = new String[n];
        String[] types = new String[n];
        String[] severities = new String[n];
        String[] regionCodes = new String[n];
        String[] paths = new String[n];
        String[] locations = new String[n];
        String[] dealers = new String[n];
        String[] skus = new String[n];
        String[] batches = new String[n];
        String[] codes = new String[n];
        String[] summaries = new String[n];
        String[] evidence = new String[n];
        String[] sources = new String[n];
        String[] occurredAt = new String[n];
        for (int i = 0; i < n; i++) {
            Alert alert = run.get(i);
            ordinals[i] = i;
            ids[i] = alert.getEventId();
            conditions[i] = alert.getConditionKey();
            types[i] = alert.getAlertType().name();
            severities[i] = alert.getSeverity().name();
            regionCodes[i] = alert.getRegionCode();
            paths[i] = String.join(",", regionPath(alert.getRegionCode())); // unnest would flatten arrays of arrays
            locations[i] = text(alert.getLocationId());
            dealers[i] = text(alert.getDealerId());
            skus[i] = text(alert.getSku());
            batches[i] = text(alert.getBatch());
            codes[i] = text(alert.getCode());
            summaries[i] = alert.getSummary();
            evidence[i] = json.writeValueAsString(alert.getEvidence());
            sources[i] = alert.getSource();
            occurredAt[i] = alert.getOccurredAt().toString();
        }
        return db.sql("""
                        insert into alert_inbox (alert_id, change_seq, condition_key, alert_type, severity, state,
                            region_code, region_path, location_id, dealer_id, sku, batch, code, summary, evidence,
                            source, occurred_at)
                        select a.alert_id, next_alert_change(), a.condition_key, a.alert_type, a.severity, 'OPEN',
                            a.region_code, string_to_array(a.path, ','), a.location_id, a.dealer_id, a.sku, a.batch,
                            a.code, a.summary, a.evidence::jsonb, a.source, a.occurred_at::timestamptz
                        from unnest(:ordinals::int[], :ids::text[], :conditions::text[], :types::text[],
                                    :severities::text[], :regions::text[], :paths::text[], :locations::text[],
                                    :dealers::text[], :skus::text[], :batches::text[], :codes::text[],
                                    :summaries::text[], :evidence::text[], :sources::text[], :occurredAt::text[])
                             as a(ord, alert_id, condition_key, alert_type, severity, region_code, path, location_id,
                                  dealer_id, sku, batch, code, summary, evidence, source, occurred_at)
                        order by a.ord
                        on conflict (alert_id) do nothing
                        returning change_seq""")
                .bind("ordinals", ordinals)
                .bind("ids", ids)
                .bind("conditions", conditions)
                .bind("types", types)
                .bind("severities", severities)
                .bind("regions", regionCodes)
                .bind("paths", paths)
                .bind("locations", locations)
                .bind("dealers", dealers)
                .bind("skus", skus)
                .bind("batches", batches)
                .bind("codes", codes)
                .bind("summaries", summaries)
                .bind("evidence", evidence)
                .bind("sources", sources)
                .bind("occurredAt", occurredAt)
                .map(row -> row.get("change_seq", Long.class))
                .all()
                .reduce(0L, Math::max);
    }

    private static String text(CharSequence value) {
        return value == null ? null : value.toString();
    }

    private Mono<Long> raise(Alert alert) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                        insert into alert_inbox (alert_id, change_seq, condition_key, alert_type, severity, state,
                            region_code, region_path, location_id, dealer_id, sku, batch, code, summary, evidence,
                            source, occurred_at)
                        values (:alertId, next_alert_change(), :conditionKey, :type, :severity, 'OPEN',
                            :region, :path::text[], :location, :dealer, :sku, :batch, :code, :summary, :evidence,
                            :source, :occurredAt)
                        on conflict (alert_id) do nothing
                        returning change_seq""")
                .bind("alertId", alert.getEventId())
                .bind("conditionKey", alert.getConditionKey())
                .bind("type", alert.getAlertType().name())
                .bind("severity", alert.getSeverity().name())
                .bind("region", alert.getRegionCode())
                .bind("path", regionPath(alert.getRegionCode()))
                .bind("summary", alert.getSummary())
                .bind("evidence", Json.of(json.writeValueAsString(alert.getEvidence())))
                .bind("source", alert.getSource())
                .bind("occurredAt", alert.getOccurredAt());
        insert = nullable(insert, "location", alert.getLocationId());
        insert = nullable(insert, "dealer", alert.getDealerId());
        insert = nullable(insert, "sku", alert.getSku());
        insert = nullable(insert, "batch", alert.getBatch());
        insert = nullable(insert, "code", alert.getCode());
        return insert.map(row -> row.get("change_seq", Long.class)).one().defaultIfEmpty(0L);
    }

    private Mono<Long> clear(Alert alert) {
        return db.sql("insert into alert_event_seen (event_id) values (:id) on conflict do nothing")
                .bind("id", alert.getEventId())
                .fetch().rowsUpdated()
                .flatMap(firstTime -> firstTime == 0 ? Mono.just(0L) : db.sql("""
                                update alert_inbox
                                set state = 'RESOLVED', resolved_by = :by, resolved_at = :at,
                                    resolution = :resolution, change_seq = next_alert_change()
                                where condition_key = :conditionKey and state <> 'RESOLVED'
                                returning change_seq""")
                        .bind("by", "system:" + alert.getSource())
                        .bind("at", alert.getOccurredAt())
                        .bind("resolution", "CLEARED by event " + alert.getEventId())
                        .bind("conditionKey", alert.getConditionKey())
                        .map(row -> row.get("change_seq", Long.class))
                        .all()
                        .reduce(0L, Math::max));
    }

    /** One alert, if the caller may see it: 404 when unknown, 403 when outside the caller's scope. */
    public Mono<AlertView> findVisible(Caller caller, String alertId) {
        return find(alertId)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("unknown alert '" + alertId + "'")))
                .flatMap(alert -> access.canSeeAlert(caller, alert.regionCode(), alert.dealerId())
                        ? Mono.just(alert)
                        : Mono.error(new ForbiddenException("you may not see alert " + alertId)));
    }

    Mono<AlertView> find(String alertId) {
        return db.sql("select " + COLUMNS + " from alert_inbox where alert_id = :id")
                .bind("id", alertId)
                .map(this::toView)
                .one();
    }

    /** A page of the caller's alerts matching the query, newest first. */
    public Mono<AlertPage> list(Caller caller, AlertQuery query) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from alert_inbox where true");
        Map<String, Object> params = new LinkedHashMap<>();
        AlertScope.append(caller, sql, params);
        if (query.regionCode() != null) {
            sql.append(" and :region = any(region_path)");
            params.put("region", query.regionCode());
        }
        if (query.alertType() != null) {
            sql.append(" and alert_type = :type");
            params.put("type", query.alertType());
        }
        if (query.severity() != null) {
            sql.append(" and severity = :severity");
            params.put("severity", query.severity());
        }
        if (query.state() != null) {
            sql.append(" and state = :state");
            params.put("state", query.state());
        }
        if (query.from() != null) {
            sql.append(" and occurred_at >= :from");
            params.put("from", query.from());
        }
        if (query.to() != null) {
            sql.append(" and occurred_at < :to");
            params.put("to", query.to());
        }
        if (query.cursor() != null) {
            sql.append(" and (occurred_at, alert_id) < (:cursorAt, :cursorId)");
            params.put("cursorAt", query.cursor().occurredAt());
            params.put("cursorId", query.cursor().alertId());
        }
        sql.append(" order by occurred_at desc, alert_id desc limit :limit");
        params.put("limit", query.limit() + 1);
        return bindAll(db.sql(sql.toString()), params)
                .map(this::toView)
                .all()
                .collectList()
                .map(rows -> {
                    if (rows.size() <= query.limit()) {
                        return new AlertPage(rows, null);
                    }
                    List<AlertView> page = new ArrayList<>(rows.subList(0, query.limit()));
                    AlertView last = page.get(page.size() - 1);
                    return new AlertPage(page, new AlertQuery.Cursor(last.occurredAt(), last.alertId()).encode());
                });
    }

    /**
     * Changes numbered in ({@code after}, {@code upTo}] that the caller may see, in change order (a
     * resuming stream's backlog). Each alert appears once, in its latest state.
     */
    public Flux<AlertView> changesVisibleTo(Caller caller, long after, long upTo, int pageSize) {
        return changePage(caller, after, upTo, pageSize)
                .expand(page -> page.size() < pageSize
                        ? Mono.empty()
                        : changePage(caller, page.get(page.size() - 1).sequence(), upTo, pageSize))
                .flatMapIterable(page -> page);
    }

    private Mono<List<AlertView>> changePage(Caller caller, long after, long upTo, int pageSize) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS
                + " from alert_inbox where change_seq > :after and change_seq <= :upTo");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("after", after);
        params.put("upTo", upTo);
        if (caller != null) {
            AlertScope.append(caller, sql, params);
        }
        sql.append(" order by change_seq limit :limit");
        params.put("limit", pageSize);
        return bindAll(db.sql(sql.toString()), params).map(this::toView).all().collectList();
    }

    /** Every change after {@code after}, at most {@code pageSize}, in change order (the live pump). */
    Mono<List<AlertView>> changesAfter(long after, int pageSize) {
        return changePage(null, after, Long.MAX_VALUE, pageSize);
    }

    /** The number of the latest committed change. */
    public Mono<Long> latestChange() {
        return db.sql("select value from alert_change_counter where id = 1")
                .map(row -> row.get("value", Long.class))
                .one();
    }

    public Mono<AlertView> acknowledge(Caller caller, String alertId) {
        return transition(caller, alertId, "acknowledge", List.of(AlertView.OPEN), """
                update alert_inbox
                set state = 'ACKNOWLEDGED', acknowledged_by = :who, acknowledged_at = now(),
                    change_seq = next_alert_change()
                where alert_id = :id and state = 'OPEN'
                returning change_seq""", null);
    }

    public Mono<AlertView> resolve(Caller caller, String alertId, String note) {
        String resolution = note == null || note.isBlank() ? "MANUAL" : "MANUAL: " + note.strip();
        return transition(caller, alertId, "resolve", List.of(AlertView.OPEN, AlertView.ACKNOWLEDGED), """
                update alert_inbox
                set state = 'RESOLVED', resolved_by = :who, resolved_at = now(), resolution = :resolution,
                    change_seq = next_alert_change()
                where alert_id = :id and state in ('OPEN', 'ACKNOWLEDGED')
                returning change_seq""", resolution);
    }

    private Mono<AlertView> transition(Caller caller, String alertId, String verb, List<String> from, String update,
                                       String resolution) {
        return findVisible(caller, alertId)
                .flatMap(alert -> {
                    if (!access.canHandleAlert(caller, alert.regionCode(), alert.dealerId())) {
                        return Mono.error(new ForbiddenException("a " + caller.role() + " may not " + verb
                                + " alerts"));
                    }
                    if (!from.contains(alert.state())) {
                        return Mono.error(notInState(verb, alert));
                    }
                    DatabaseClient.GenericExecuteSpec spec = db.sql(update)
                            .bind("who", caller.role().name().toLowerCase() + ":" + caller.subject())
                            .bind("id", alertId);
                    if (resolution != null) {
                        spec = spec.bind("resolution", resolution);
                    }
                    return lockChangeCounter()
                            .then(spec.map(row -> row.get("change_seq", Long.class)).one())
                            .as(tx::transactional)
                            // someone else changed it between our read and our update
                            .switchIfEmpty(find(alertId).flatMap(now -> Mono.error(notInState(verb, now))))
                            .flatMap(seq -> fanOut.announce(seq).then(find(alertId)));
                });
    }

    /**
     * Every writer takes the counter's row lock first, before any alert row: one lock order, so a
     * CLEARED event and a manager's acknowledgement of the same alert can never deadlock.
     */
    private Mono<Void> lockChangeCounter() {
        return db.sql("select value from alert_change_counter where id = 1 for update").fetch().all().then();
    }

    private static BadRequestException notInState(String verb, AlertView alert) {
        String by = AlertView.RESOLVED.equals(alert.state()) ? " by " + alert.resolvedBy()
                : AlertView.ACKNOWLEDGED.equals(alert.state()) ? " by " + alert.acknowledgedBy() : "";
        return new BadRequestException(409, List.of(new FieldProblem("state",
                "cannot " + verb + " an alert that is " + alert.state() + by)));
    }

    /** The region and its ancestors; empty for a code the tree does not know (then only HQ and the dealer see it). */
    String[] regionPath(String regionCode) {
        List<String> path = new ArrayList<>();
        for (String code = regionCode; code != null && regions.exists(code);
             code = regions.region(code).map(RegionTree.Region::parentCode).orElse(null)) {
            path.add(code);
        }
        return path.toArray(String[]::new);
    }

    private AlertView toView(Readable row) {
        Json evidence = row.get("evidence", Json.class);
        return new AlertView(
                row.get("alert_id", String.class),
                row.get("change_seq", Long.class),
                row.get("alert_type", String.class),
                row.get("severity", String.class),
                row.get("state", String.class),
                row.get("condition_key", String.class),
                row.get("region_code", String.class),
                row.get("location_id", String.class),
                row.get("dealer_id", String.class),
                row.get("sku", String.class),
                row.get("batch", String.class),
                row.get("code", String.class),
                row.get("summary", String.class),
                evidence == null ? Map.of() : json.readValue(evidence.asString(), EVIDENCE),
                row.get("source", String.class),
                row.get("occurred_at", Instant.class),
                row.get("received_at", Instant.class),
                row.get("acknowledged_by", String.class),
                row.get("acknowledged_at", Instant.class),
                row.get("resolved_by", String.class),
                row.get("resolved_at", Instant.class),
                row.get("resolution", String.class));
    }

    private static DatabaseClient.GenericExecuteSpec nullable(DatabaseClient.GenericExecuteSpec spec, String name,
                                                              CharSequence value) {
        return value == null ? spec.bindNull(name, String.class) : spec.bind(name, value.toString());
    }

    private static DatabaseClient.GenericExecuteSpec bindAll(DatabaseClient.GenericExecuteSpec spec,
                                                             Map<String, Object> params) {
        for (Map.Entry<String, Object> param : params.entrySet()) {
            spec = spec.bind(param.getKey(), param.getValue());
        }
        return spec;
    }
}
