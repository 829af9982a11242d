"""Two seeded texts, corrected in a database seeded before (the seed fills only empty
columns and creates the demonstration drafts once):

- the Chinese themes and titles were written with the half-width commas of the project's
  copy of resolution 71/280; a Latin comma right after a Chinese character is always a
  typo: written full-width;
- the demonstration drafts' note began "Demonstration text:", which the pages already say
  before it ("Demonstration text. Demonstration text: …"): the note without it."""

import re

from django.db import migrations

AFTER_CJK = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]),")
FIELDS = ("title_zh_hans", "theme_zh_hans")
OLD_DEMO_NOTE = (
    "Demonstration text: a short text written for this demonstration, not the real "
    "negotiation draft. Only the date (and the stage) are those of the real process; the "
    "co-facilitators held the pen."
)
NEW_DEMO_NOTE = (
    "A short text written for this demonstration, not the real negotiation draft. Only the "
    "date (and the stage) are those of the real process; the co-facilitators held the pen."
)


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
    NegotiationDraft = apps.get_model("phases", "NegotiationDraft")
    NegotiationDraft.objects.filter(source_note=OLD_DEMO_NOTE).update(source_note=NEW_DEMO_NOTE)


class Migration(migrations.Migration):
    dependencies = [("phases", "0004_member_state_names")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
