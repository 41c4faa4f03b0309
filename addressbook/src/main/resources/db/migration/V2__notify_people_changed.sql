-- Every committed change to people sends one notice on the channel people_changed, per statement. Each
-- addressbook replica listens for it to drop its cached GET /all (PeopleChangeListener); a replica that finds
-- this trigger missing does not cache at all.
CREATE FUNCTION notify_people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('people_changed', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER people_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION notify_people_changed();
