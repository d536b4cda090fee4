-- Master data of record. Kafka's compacted master-data topics carry the same facts to the
-- topologies; PostgreSQL is where the API looks them up and what an operator edits.

create table dealer (
    dealer_id   text primary key,
    name        text        not null,
    tier        integer     not null check (tier between 1 and 3),
    updated_at  timestamptz not null default now()
);

-- A dealer's authorized regions change over time; each row applies from its effective time.
create table dealer_region (
    dealer_id      text        not null references dealer (dealer_id),
    region_code    varchar(6)  not null,
    effective_from timestamptz not null,
    primary key (dealer_id, region_code, effective_from)
);

create table product (
    sku                 text primary key,
    gtin                varchar(14) not null unique,
    name                text        not null,
    category            text        not null,
    size_label          text,
    shelf_life_days     integer     not null check (shelf_life_days > 0),
    expiry_warning_days integer     not null check (expiry_warning_days >= 0),
    updated_at          timestamptz not null default now()
);

create table location (
    location_id        text primary key,
    name               text             not null,
    kind               text             not null,
    region_code        varchar(6)       not null,
    latitude           double precision not null,
    longitude          double precision not null,
    parent_location_id text,
    dealer_id          text,
    safety_stock_units integer,
    updated_at         timestamptz      not null default now()
);

create index location_dealer on location (dealer_id);
create index location_region on location (region_code);
