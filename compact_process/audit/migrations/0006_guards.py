"""The database refuses to rewrite the trail, on both vendors.

PostgreSQL. 0002's row trigger refuses UPDATE and DELETE; a row trigger never sees
TRUNCATE, so a statement trigger refuses it here. And the application's own role gets
neither UPDATE, DELETE nor TRUNCATE on the table: they are revoked from every role but
the table's owner (the migration role of docker-compose; the README explains both
roles). The application's role owns nothing, so it can neither disable a trigger (ALTER
TABLE needs the owner) nor set ``session_replication_role`` (a superuser's setting).

The one exception, and why it is safe: pytest-django empties the whole database between
transactional tests with one TRUNCATE of every table. The TRUNCATE trigger lets that
through only when the current role is a superuser *and* the transaction set
``compact.flush_all = 'on'`` (``compact_process.audit.guards.flushing``, used by the
test harness's flush only). Any role may set a custom setting, so the setting alone would
be no guard; but a superuser can disable the trigger or switch to replica mode anyway,
so the exception gives nobody anything they did not have, and the application's role,
not a superuser, is refused whatever it sets. Tampering by a superuser is what the hash
chain and ``verify_audit`` are for.

SQLite. Triggers refuse UPDATE and DELETE (the function they call to let a test's flush
through is in ``guards.py``). Django rebuilds a SQLite table to alter it, which drops its
triggers: tests/test_audit_chain.py fails if a later migration does that without
creating them again.
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION compact_flush_allowed() RETURNS boolean AS $$
  SELECT coalesce(current_setting('compact.flush_all', true), '') = 'on'
     AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper);
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION compact_refuse_truncate() RETURNS trigger AS $$
BEGIN
  IF compact_flush_allowed() THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION '% is append-only (TRUNCATE refused)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_truncate
  BEFORE TRUNCATE ON audit_auditevent
  FOR EACH STATEMENT EXECUTE FUNCTION compact_refuse_truncate();

DO $$
DECLARE
  grantee_name text;
BEGIN
  REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM PUBLIC;
  FOR grantee_name IN
    SELECT DISTINCT pg_get_userbyid(acl.grantee)
      FROM pg_class AS c, aclexplode(c.relacl) AS acl
     WHERE c.oid = 'audit_auditevent'::regclass
       AND acl.grantee <> 0 AND acl.grantee <> c.relowner
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM %I', grantee_name);
  END LOOP;
END;
$$;
"""
PG_DROP = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS compact_refuse_truncate();
DROP FUNCTION IF EXISTS compact_flush_allowed();
"""

SQLITE_CREATE = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only (UPDATE refused)'); END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    WHEN NOT compact_flush_allowed()
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only (DELETE refused)'); END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_chain_required")]
    operations = [migrations.RunPython(create, drop)]
