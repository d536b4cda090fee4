-- A claim now writes only columns no index covers (lease_until, attempts, last_attempt_at): it leaves
-- next_attempt_at where it was, and a head under a live lease is simply not due. So a claim can be a HOT update
-- (a new row version on the same page, no index entry anywhere) when the page has room for it.

-- The leased rows are counted from the front of partner_delivery_head (a leased head keeps its place there),
-- so this index, whose predicate named lease_until, would only stop claims from being HOT.
drop index partner_delivery_leased;

-- Only replay reads by occurred_at, and it reads DELIVERED and DEAD rows only: queued and streamed rows no longer
-- enter this index when they are inserted, nor each time a PENDING row is retried.
drop index partner_delivery_time;
create index partner_delivery_time on partner_delivery (subscription_id, occurred_at)
    where state in ('DELIVERED', 'DEAD');

-- Pages filled to half when rows are inserted leave room for the claim's new version of each row on its page (a
-- row carries its payload, ~0.5-1 kB for most events; every row of a page is claimed within moments of the
-- others). Without the room a claim's version goes to another page and enters all the indexes again.
-- Applies to pages filled from now on; the room is reused by the versions that the outcomes write.
alter table partner_delivery set (fillfactor = 50);
