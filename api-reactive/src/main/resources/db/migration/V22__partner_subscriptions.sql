-- Partner subscriptions and their durable delivery outbox.

create table partner_subscription (
    subscription_id text primary key,
    partner_id      text        not null,
    event_types     text[]      not null,
    -- the filter: an event matches when its region lies inside one of region_codes, or its dealer is listed
    region_codes    text[]      not null,
    dealer_ids      text[]      not null,
    delivery        text        not null check (delivery in ('WEBHOOK', 'SSE')),
    webhook_url     text,
    -- the HMAC key the partner verifies signatures with (EPCIS 2.0 calls it the signatureToken); never returned
    secret          text,
    max_attempts    integer     not null check (max_attempts > 0),
    -- number of the latest event queued for this subscription: taking the next one locks this row until the
    -- transaction commits, so a subscription's events become visible in number order (SSE resume relies on it)
    last_seq        bigint      not null default 0,
    active          boolean     not null default true,
    created_by      text        not null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    check (delivery <> 'WEBHOOK' or (webhook_url is not null and secret is not null))
);
create index partner_subscription_partner on partner_subscription (partner_id);

-- One row per event per subscription. Webhook rows go PENDING → DELIVERED, or DEAD after max_attempts;
-- SSE rows are STREAM (read by the partner's stream from its Last-Event-ID). A PENDING row that is not the
-- oldest PENDING row of its (subscription, ordering_key) waits with next_attempt_at = infinity: only the head
-- of a key is ever attempted, which is what keeps deliveries in order per key.
create table partner_delivery (
    delivery_id     bigserial primary key,
    subscription_id text        not null references partner_subscription (subscription_id) on delete cascade,
    seq             bigint      not null,
    event_id        text        not null,
    event_type      text        not null,
    ordering_key    text        not null,
    payload         text        not null,
    occurred_at     timestamptz not null,
    enqueued_at     timestamptz not null default now(),
    state           text        not null check (state in ('PENDING', 'DELIVERED', 'DEAD', 'STREAM')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    lease_until     timestamptz,
    last_attempt_at timestamptz,
    last_error      text,
    delivered_at    timestamptz,
    unique (subscription_id, event_id),
    unique (subscription_id, seq)
);
create index partner_delivery_due on partner_delivery (next_attempt_at) where state = 'PENDING';
create index partner_delivery_key on partner_delivery (subscription_id, ordering_key, seq)
    where state = 'PENDING';
create index partner_delivery_dead on partner_delivery (subscription_id, seq) where state = 'DEAD';
create index partner_delivery_time on partner_delivery (subscription_id, occurred_at);
