-- Every statement that appends to the change feed sends a NOTIFY on the
-- channel escnet_changes (delivered when its transaction commits; one per
-- transaction, as PostgreSQL folds equal notifications), with the schema
-- as payload so that databases sharing a server in separate schemas wake
-- only their own nodes. Nodes LISTEN and poll the feed when woken.
CREATE FUNCTION notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('escnet_changes', TG_TABLE_SCHEMA);
    RETURN NULL;
END
$$;

CREATE TRIGGER changes_notify AFTER INSERT ON changes
    FOR EACH STATEMENT EXECUTE FUNCTION notify_changes();
