"""Chain the events written before the chain existed, in the order they were written
(instant, then id), and start the chain head at the last of them. On PostgreSQL the
append-only trigger (0002) is set aside for this one transaction: migrations run as the
tables' owner, and nothing else writes while they run."""

from django.db import migrations

from compact_process.audit.chain import GENESIS, content_hash

BATCH = 1000


def chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    db = schema_editor.connection.alias
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only"
        )
    sequence, prev, batch = 0, GENESIS, []
    for event in AuditEvent.objects.using(db).order_by("at", "id").iterator(chunk_size=BATCH):
        sequence += 1
        event.sequence, event.prev_hash = sequence, prev
        event.hash = prev = content_hash(
            sequence=sequence,
            prev_hash=event.prev_hash,
            action=event.action,
            at=event.at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            list_id=event.list_id,
            entry_id=event.entry_id,
            data=event.data,
        )
        batch.append(event)
        if len(batch) == BATCH:
            AuditEvent.objects.using(db).bulk_update(batch, ["sequence", "prev_hash", "hash"])
            batch = []
    if batch:
        AuditEvent.objects.using(db).bulk_update(batch, ["sequence", "prev_hash", "hash"])
    if postgres:
        schema_editor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    AuditChainHead.objects.using(db).update_or_create(
        pk=1, defaults={"sequence": sequence, "hash": prev}
    )


def unchain(apps, schema_editor):
    apps.get_model("audit", "AuditChainHead").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_fields")]
    operations = [migrations.RunPython(chain, unchain)]
