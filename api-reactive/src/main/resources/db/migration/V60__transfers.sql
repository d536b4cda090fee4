-- Who asked for which transfer between which two locations (issue 4). Where a transfer stands is kept by
-- the inventory topology with the source's stock; this table lets the API route to it and check who may act.
create table transfer (
    transfer_id      text        primary key,
    from_location_id text        not null,
    to_location_id   text        not null,
    requested_by     text        not null,
    requested_at     timestamptz not null
);
create index transfer_from_location on transfer (from_location_id);
create index transfer_to_location on transfer (to_location_id);
