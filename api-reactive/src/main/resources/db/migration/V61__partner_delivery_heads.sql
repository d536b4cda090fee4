-- Claiming touches only the due heads of keys. Of a key's PENDING rows only the head has a finite
-- next_attempt_at (the others wait at infinity), and a claimed head is not due again until its lease runs
-- out (claiming moves next_attempt_at to the lease's end). So per subscription the due heads are the front
-- of this index, and a claim reads a few entries per subscription instead of every PENDING row.
create index partner_delivery_head on partner_delivery (subscription_id, next_attempt_at, seq) where state = 'PENDING';
-- Deliveries in flight (leased, outcome not yet written): counted per subscription for its in-flight cap.
-- An outcome clears the lease, so this index holds about as many rows as there are attempts under way.
create index partner_delivery_leased on partner_delivery (subscription_id) where state = 'PENDING' and lease_until is not null;
-- superseded by partner_delivery_head: the old claim scanned every due row of every subscription
drop index partner_delivery_due;
