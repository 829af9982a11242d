from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0004_organization_description_languages"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="screened_profile",
            field=models.JSONField(blank=True, default=dict, verbose_name="profile as screened"),
        ),
    ]
