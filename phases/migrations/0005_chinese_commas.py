"""The seeded Chinese themes and titles were written with the half-width commas of the
project's copy of resolution 71/280; the seed writes them full-width now, but fills only
empty columns. A Latin comma right after a Chinese character is always a typo: this
writes it full-width in the meetings already seeded."""

import re

from django.db import migrations

AFTER_CJK = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]),")
FIELDS = ("title_zh_hans", "theme_zh_hans")


def forwards(apps, schema_editor):
    Meeting = apps.get_model("phases", "Meeting")
    for meeting in Meeting.objects.all().only("pk", *FIELDS):
        changed = []
        for name in FIELDS:
            value = getattr(meeting, name)
            if value and AFTER_CJK.search(value):
                setattr(meeting, name, AFTER_CJK.sub("，", value))
                changed.append(name)
        if changed:
            meeting.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("phases", "0004_member_state_names")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
