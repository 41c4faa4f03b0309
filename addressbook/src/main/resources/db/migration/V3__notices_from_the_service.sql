-- The service now announces its own changes itself, one notice for many writes (PeopleChangeNotices): a notice per
-- statement serialised every insert's commit behind every other's. Its connections set addressbook.notices to
-- 'sent-by-service'; every other change (psql, a replica of an older version during a canary) is still announced
-- here, so no replica's cached GET /all can miss one.
CREATE OR REPLACE FUNCTION notify_people_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('addressbook.notices', true) IS DISTINCT FROM 'sent-by-service' THEN
        PERFORM pg_notify('people_changed', '');
    END IF;
    RETURN NULL;
END
$$;
