-- A search sorts up to a thousand FTS matches by name to show one page.
-- Read from the customers table, that touched a page per match (at 10k
-- customers nearly every page of the table); this index holds just the
-- sort key by id, so the sort reads a tenth of the pages and only the
-- rows shown are read in full (SearchWithin).
CREATE INDEX customers_id_sort ON customers(id, sort_name);
