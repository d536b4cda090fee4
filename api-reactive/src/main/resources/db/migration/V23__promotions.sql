-- Promotions the brand plans ahead: a SKU in a region (any GB/T 2260 level, 000000 = the whole country) over CST
-- calendar days, with its mechanism and, if the planner gave one, the lift it expects. Announced on
-- master.promotions (key sku|promotion_id), which the forecast topology reads.
create table promotion (
    sku            text        not null references product (sku),
    promotion_id   text        not null,
    region_code    varchar(6)  not null,
    first_day      date        not null,
    last_day       date        not null check (last_day >= first_day),
    mechanism      text        not null,
    expected_lift  double precision check (expected_lift is null or expected_lift > 0),
    updated_at     timestamptz not null default now(),
    primary key (sku, promotion_id)
);
