"""The hash chain's fields (nullable until 0004 fills them), its one-row head, and the
record of each verification run."""

import django.utils.timezone
from django.db import migrations, models

GENESIS = "0" * 64


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="sequence"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                editable=False, max_length=64, default="", verbose_name="previous event's hash"
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(editable=False, max_length=64, default="", verbose_name="hash"),
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveBigIntegerField(default=0)),
                ("hash", models.CharField(default=GENESIS, max_length=64)),
            ],
        ),
        migrations.CreateModel(
            name="AuditVerification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("checked_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("full", models.BooleanField(default=True)),
                ("ok", models.BooleanField()),
                ("events", models.PositiveBigIntegerField(default=0)),
                ("checked", models.PositiveBigIntegerField(default=0)),
                ("last_sequence", models.PositiveBigIntegerField(default=0)),
                ("last_hash", models.CharField(default=GENESIS, max_length=64)),
                ("problem", models.CharField(blank=True, max_length=30)),
                ("event_id", models.BigIntegerField(blank=True, null=True)),
                ("event_sequence", models.BigIntegerField(blank=True, null=True)),
                ("event_action", models.CharField(blank=True, max_length=60)),
                ("detail", models.TextField(blank=True)),
            ],
            options={"ordering": ["-checked_at", "-id"], "get_latest_by": ["checked_at", "id"]},
        ),
    ]
