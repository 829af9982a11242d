"""Once a list is submitted to Member States, the database refuses to rewrite its
record: its entries cannot be deleted or given another organization or list, its
objections cannot be deleted and their content (entry, State, basis, disclosure, when
and by whom lodged) cannot change, a withdrawal is final and none is made once the
review is closed, the list cannot go back to draft or be deleted. Allowed, as the
services do it: adding and deleting a draft list's entries, lodging an objection
(INSERT), withdrawing it before the close (withdrawn_at, withdrawn_by), and the close
writing the entries' outcome and standing objections. The model and queryset refuse the
same (stakeholders.models); the triggers hold for raw SQL and cascades too.

PostgreSQL: row triggers, and TRUNCATE refused as for the audit trail (the same one
exception for the test harness's flush, explained in audit 0006). SQLite: triggers
calling the same ``compact_flush_allowed()`` for deletes (compact_process.audit.guards).
"""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION stakeholders_list_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'a submitted list cannot be deleted (list %)', OLD.id;
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND NEW.status = 'draft' THEN
    RAISE EXCEPTION 'a submitted list cannot go back to draft (list %)', OLD.id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER stakeholders_list_guard
  BEFORE UPDATE OR DELETE ON stakeholders_stakeholderlist
  FOR EACH ROW EXECUTE FUNCTION stakeholders_list_guard();

CREATE OR REPLACE FUNCTION stakeholders_entry_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM stakeholders_stakeholderlist
               WHERE id = OLD.stakeholder_list_id AND status <> 'draft') THEN
      RAISE EXCEPTION 'entries of a submitted list cannot be deleted (entry %)', OLD.id;
    END IF;
    RETURN OLD;
  END IF;
  IF (NEW.application_id, NEW.stakeholder_list_id)
       IS DISTINCT FROM (OLD.application_id, OLD.stakeholder_list_id)
     AND EXISTS (SELECT 1 FROM stakeholders_stakeholderlist
                 WHERE id IN (OLD.stakeholder_list_id, NEW.stakeholder_list_id)
                   AND status <> 'draft') THEN
    RAISE EXCEPTION 'entries of a submitted list cannot be changed (entry %)', OLD.id;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER stakeholders_entry_guard
  BEFORE UPDATE OR DELETE ON stakeholders_listentry
  FOR EACH ROW EXECUTE FUNCTION stakeholders_entry_guard();

CREATE OR REPLACE FUNCTION stakeholders_objection_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF EXISTS (SELECT 1 FROM stakeholders_listentry AS e
                 JOIN stakeholders_stakeholderlist AS l ON l.id = e.stakeholder_list_id
               WHERE e.id = OLD.entry_id AND l.status <> 'draft') THEN
      RAISE EXCEPTION 'objections cannot be deleted (objection %)', OLD.id;
    END IF;
    RETURN OLD;
  END IF;
  IF (NEW.entry_id, NEW.member_state_id, NEW.basis, NEW.disclose_identity,
      NEW.lodged_at, NEW.lodged_by_id)
     IS DISTINCT FROM (OLD.entry_id, OLD.member_state_id, OLD.basis,
                       OLD.disclose_identity, OLD.lodged_at, OLD.lodged_by_id) THEN
    RAISE EXCEPTION 'an objection cannot be changed (objection %)', OLD.id;
  END IF;
  IF (NEW.withdrawn_at, NEW.withdrawn_by_id)
       IS DISTINCT FROM (OLD.withdrawn_at, OLD.withdrawn_by_id) THEN
    IF OLD.withdrawn_at IS NOT NULL THEN
      RAISE EXCEPTION 'a withdrawal is final (objection %)', OLD.id;
    END IF;
    IF EXISTS (SELECT 1 FROM stakeholders_listentry AS e
                 JOIN stakeholders_stakeholderlist AS l ON l.id = e.stakeholder_list_id
               WHERE e.id = OLD.entry_id AND l.status = 'closed') THEN
      RAISE EXCEPTION 'the review is closed: the objection stands (objection %)', OLD.id;
    END IF;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER stakeholders_objection_guard
  BEFORE UPDATE OR DELETE ON stakeholders_objection
  FOR EACH ROW EXECUTE FUNCTION stakeholders_objection_guard();

CREATE TRIGGER stakeholders_list_no_truncate BEFORE TRUNCATE ON stakeholders_stakeholderlist
  FOR EACH STATEMENT EXECUTE FUNCTION compact_refuse_truncate();
CREATE TRIGGER stakeholders_entry_no_truncate BEFORE TRUNCATE ON stakeholders_listentry
  FOR EACH STATEMENT EXECUTE FUNCTION compact_refuse_truncate();
CREATE TRIGGER stakeholders_objection_no_truncate BEFORE TRUNCATE ON stakeholders_objection
  FOR EACH STATEMENT EXECUTE FUNCTION compact_refuse_truncate();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS stakeholders_list_no_truncate ON stakeholders_stakeholderlist;
DROP TRIGGER IF EXISTS stakeholders_entry_no_truncate ON stakeholders_listentry;
DROP TRIGGER IF EXISTS stakeholders_objection_no_truncate ON stakeholders_objection;
DROP TRIGGER IF EXISTS stakeholders_list_guard ON stakeholders_stakeholderlist;
DROP TRIGGER IF EXISTS stakeholders_entry_guard ON stakeholders_listentry;
DROP TRIGGER IF EXISTS stakeholders_objection_guard ON stakeholders_objection;
DROP FUNCTION IF EXISTS stakeholders_list_guard();
DROP FUNCTION IF EXISTS stakeholders_entry_guard();
DROP FUNCTION IF EXISTS stakeholders_objection_guard();
"""


def _entry_list_where(condition: str) -> str:
    """True when the list of the objection's entry meets ``condition`` (on ``l``)."""
    return f"""EXISTS (SELECT 1 FROM stakeholders_listentry AS e
      JOIN stakeholders_stakeholderlist AS l ON l.id = e.stakeholder_list_id
      WHERE e.id = OLD.entry_id AND {condition})"""


SQLITE_CREATE = [
    """
    CREATE TRIGGER stakeholders_list_no_delete BEFORE DELETE ON stakeholders_stakeholderlist
    WHEN OLD.status <> 'draft' AND NOT compact_flush_allowed()
    BEGIN SELECT RAISE(ABORT, 'a submitted list cannot be deleted'); END
    """,
    """
    CREATE TRIGGER stakeholders_list_no_redraft BEFORE UPDATE OF status
    ON stakeholders_stakeholderlist
    WHEN OLD.status <> 'draft' AND NEW.status = 'draft'
    BEGIN SELECT RAISE(ABORT, 'a submitted list cannot go back to draft'); END
    """,
    """
    CREATE TRIGGER stakeholders_entry_no_delete BEFORE DELETE ON stakeholders_listentry
    WHEN EXISTS (SELECT 1 FROM stakeholders_stakeholderlist
                 WHERE id = OLD.stakeholder_list_id AND status <> 'draft')
      AND NOT compact_flush_allowed()
    BEGIN SELECT RAISE(ABORT, 'entries of a submitted list cannot be deleted'); END
    """,
    """
    CREATE TRIGGER stakeholders_entry_frozen BEFORE UPDATE ON stakeholders_listentry
    WHEN (NEW.application_id IS NOT OLD.application_id
          OR NEW.stakeholder_list_id IS NOT OLD.stakeholder_list_id)
      AND EXISTS (SELECT 1 FROM stakeholders_stakeholderlist
                  WHERE id IN (OLD.stakeholder_list_id, NEW.stakeholder_list_id)
                    AND status <> 'draft')
    BEGIN SELECT RAISE(ABORT, 'entries of a submitted list cannot be changed'); END
    """,
    f"""
    CREATE TRIGGER stakeholders_objection_no_delete BEFORE DELETE ON stakeholders_objection
    WHEN {_entry_list_where("l.status <> 'draft'")} AND NOT compact_flush_allowed()
    BEGIN SELECT RAISE(ABORT, 'objections cannot be deleted'); END
    """,
    """
    CREATE TRIGGER stakeholders_objection_frozen BEFORE UPDATE ON stakeholders_objection
    WHEN NEW.entry_id IS NOT OLD.entry_id
      OR NEW.member_state_id IS NOT OLD.member_state_id
      OR NEW.basis IS NOT OLD.basis
      OR NEW.disclose_identity IS NOT OLD.disclose_identity
      OR NEW.lodged_at IS NOT OLD.lodged_at
      OR NEW.lodged_by_id IS NOT OLD.lodged_by_id
    BEGIN SELECT RAISE(ABORT, 'an objection cannot be changed'); END
    """,
    f"""
    CREATE TRIGGER stakeholders_objection_withdrawal BEFORE UPDATE ON stakeholders_objection
    WHEN (NEW.withdrawn_at IS NOT OLD.withdrawn_at
          OR NEW.withdrawn_by_id IS NOT OLD.withdrawn_by_id)
      AND (OLD.withdrawn_at IS NOT NULL OR {_entry_list_where("l.status = 'closed'")})
    BEGIN SELECT RAISE(ABORT, 'a withdrawal is final, and none is made after the close'); END
    """,
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "stakeholders_list_no_delete",
        "stakeholders_list_no_redraft",
        "stakeholders_entry_no_delete",
        "stakeholders_entry_frozen",
        "stakeholders_objection_no_delete",
        "stakeholders_objection_frozen",
        "stakeholders_objection_withdrawal",
    )
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
    dependencies = [
        ("stakeholders", "0005_application_screened_profile"),
        ("audit", "0006_guards"),
    ]
    operations = [migrations.RunPython(create, drop)]
