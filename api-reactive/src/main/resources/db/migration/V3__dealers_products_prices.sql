-- Dealers, products and regional prices of record (issue 5). V1 created dealer, dealer_region and product;
-- this adds what diversion detection and price floors need. The compacted master-data topics carry the
-- same facts to the topologies.

-- The regional manager answerable for a dealer: alerts about its goods are routed to this region.
alter table dealer add column regional_manager_region_code varchar(6);

-- A dealer's authorization is a set of region codes in force from effective_from until the next set's
-- effective_from: "the dealer's regions at time t" is the set with the latest effective_from <= t.
create index dealer_region_by_dealer on dealer_region (dealer_id, effective_from);

-- List and floor price of a SKU in a region (any level; the most specific region wins), per effective time.
create table regional_price (
    sku             text        not null references product (sku),
    region_code     varchar(6)  not null,
    effective_from  timestamptz not null,
    list_price_fen  bigint      not null check (list_price_fen >= 0),
    floor_price_fen bigint      not null check (floor_price_fen >= 0 and floor_price_fen <= list_price_fen),
    updated_at      timestamptz not null default now(),
    primary key (sku, region_code, effective_from)
);
