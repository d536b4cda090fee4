-- Alert inbox: every alert of topic `alerts`, stored once (by its eventId), with its handling state.

-- One counter for every change of the inbox (an alert arriving, acknowledged, resolved). Taking the
-- next value locks this one row until the transaction commits, so changes become visible in the order
-- of their numbers: a reader that sees change n has already been able to see every change below n.
-- That is what lets the SSE stream resume from Last-Event-ID without gaps and without duplicates.
-- (A plain sequence would not do: its values are handed out at once and may commit out of order.)
create table alert_change_counter (
    id    smallint primary key check (id = 1),
    value bigint   not null
);
insert into alert_change_counter (id, value) values (1, 0);

create function next_alert_change() returns bigint language sql volatile as $$
    update alert_change_counter set value = value + 1 where id = 1 returning value
$$;

create table alert_inbox (
    alert_id         text primary key,          -- eventId of the RAISED alert event
    change_seq       bigint      not null unique, -- number of the row's latest change (SSE event id)
    condition_key    text        not null,
    alert_type       text        not null,
    severity         text        not null,
    state            text        not null check (state in ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
    region_code      text        not null,
    -- the region and its ancestors (province, city, county), so scope is one indexed array overlap
    region_path      text[]      not null,
    location_id      text,
    dealer_id        text,
    sku              text,
    batch            text,
    code             text,
    summary          text        not null,
    evidence         jsonb       not null,
    source           text        not null,
    occurred_at      timestamptz not null,
    received_at      timestamptz not null default now(),
    acknowledged_by  text,
    acknowledged_at  timestamptz,
    resolved_by      text,
    resolved_at      timestamptz,
    resolution       text        -- CLEARED (the condition cleared itself) or MANUAL, with a note
);

create index alert_inbox_open_condition on alert_inbox (condition_key) where state <> 'RESOLVED';
create index alert_inbox_region_path on alert_inbox using gin (region_path);
create index alert_inbox_dealer on alert_inbox (dealer_id);
create index alert_inbox_listing on alert_inbox (occurred_at desc, alert_id desc);

-- Ids of CLEARED events already applied (a RAISED event is remembered by alert_inbox's primary key).
create table alert_event_seen (
    event_id text        primary key,
    seen_at  timestamptz not null default now()
);
