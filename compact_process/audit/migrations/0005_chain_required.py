"""Every event is now chained (0004): the chain's fields are required, the sequence
unique (two writers can never take the same place)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_chain_backfill")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(editable=False, unique=True, verbose_name="sequence"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(editable=False, max_length=64, verbose_name="previous event's hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(db_index=True, editable=False, max_length=64, verbose_name="hash"),
        ),
    ]
