-- A customer's card waits to be sent when its card changes, not when the
-- figures kept beside it do: the last contact and temperature (refreshed by
-- every interaction logged here or pulled from the calendar) and the
-- contact cadence are no part of the vCard. The trigger of 0004 fired on
-- any column, so every logged call and every pulled interaction marked its
-- customer's card (sent for nothing, and counted as waiting). The columns
-- are data/customers.go's cardColumnNames and updated_at.
DROP TRIGGER sync_customer_update;
CREATE TRIGGER sync_customer_update AFTER UPDATE OF uid, prefix, given_name, middle_name, family_name, suffix,
    formatted_name, display_name, sort_name, nickname, company_id, department, title, birthday, anniversary,
    photo, photo_mime, photo_url, card_note, updated_at ON customers
WHEN EXISTS (SELECT 1 FROM sync_account) BEGIN
    UPDATE sync_clock SET n = n + 1;
    INSERT INTO sync_pending(uid, deleted, seq)
    VALUES (NEW.uid, 0, (SELECT n FROM sync_clock))
    ON CONFLICT(uid) DO UPDATE SET deleted = 0, seq = excluded.seq;
    INSERT INTO sync_pending(uid, deleted, seq)
    SELECT OLD.uid, 1, (SELECT n FROM sync_clock) WHERE OLD.uid <> NEW.uid
    ON CONFLICT(uid) DO UPDATE SET deleted = 1, seq = excluded.seq;
END;
