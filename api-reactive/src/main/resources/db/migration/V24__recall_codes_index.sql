-- A batch recall lists every shipped code of the batch, paged by code: one index range per page.
create index trace_unit_sku_batch_code on trace_unit (sku, batch, code);
