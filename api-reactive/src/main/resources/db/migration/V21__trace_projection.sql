-- Projection for the public trace lookup, fed from topics shipments, trace-records and scans.
-- Codes are stored in canonical form: a GS1 Digital Link reduced to its path (/01/<gtin14>/10/<batch>/21/<serial>),
-- any other code as received.

-- Every unit a shipment named: pallet, case or item, with the unit it was packed in.
create table trace_unit (
    code        text primary key,
    unit_level  text        not null check (unit_level in ('PALLET', 'CASE', 'ITEM')),
    sku         text,
    batch       text,
    parent_code text,
    updated_at  timestamptz not null default now()
);

-- One row per unit per shipment that carried it: the channel path of a code is its legs in time order.
create table trace_leg (
    code             text        not null,
    shipment_id      text        not null,
    event_id         text        not null,
    from_location_id text        not null,
    to_location_id   text        not null,
    occurred_at      timestamptz not null,
    primary key (code, shipment_id)
);

-- Receipts and other non-consumer scans of a unit (dealer receipt, warehouse, store sale, inspector).
create table trace_scan (
    event_id     text primary key,
    code         text        not null,
    scanner_role text        not null,
    location_id  text,
    region_code  text,
    occurred_at  timestamptz not null
);
create index trace_scan_code on trace_scan (code, occurred_at);

-- Upstream steps of a batch: raw material, production, quality check.
create table trace_batch_step (
    event_id      text primary key,
    sku           text        not null,
    batch         text        not null,
    step          text        not null,
    place         text        not null,
    attributes    jsonb       not null,
    qc_report_ref text,
    occurred_at   timestamptz not null
);
create index trace_batch_step_batch on trace_batch_step (sku, batch, occurred_at);

-- Dates of a batch as shipments declare them.
create table trace_batch (
    sku             text not null,
    batch           text not null,
    production_date date,
    expiry_date     date,
    primary key (sku, batch)
);
