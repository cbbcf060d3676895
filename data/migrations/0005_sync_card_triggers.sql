-- The card's own tables (contact points, addresses, tags, other clients'
-- properties) are only ever written together with their customers row, in
-- the same transaction (data/customers.go: createCard and replaceCard), and
-- that row's triggers record the change. Their own triggers doubled the CPU
-- of a 10k import once sync was set up (a clock bump and an upsert per phone,
-- address and tag), for nothing. The profile tables keep theirs: a profile
-- entry is saved without touching the customers row.
DROP TRIGGER sync_contact_points_insert;
DROP TRIGGER sync_contact_points_update;
DROP TRIGGER sync_contact_points_delete;
DROP TRIGGER sync_addresses_insert;
DROP TRIGGER sync_addresses_update;
DROP TRIGGER sync_addresses_delete;
DROP TRIGGER sync_tags_insert;
DROP TRIGGER sync_tags_update;
DROP TRIGGER sync_tags_delete;
DROP TRIGGER sync_extra_properties_insert;
DROP TRIGGER sync_extra_properties_update;
DROP TRIGGER sync_extra_properties_delete;
