"""Deadlines written before their titles were labels kept the title as text in the
language active when they were synced. Each row gets its label from its source: a
deliverable's or a meeting's title in every language it has, a window's purpose as a
key, a list's title as the Office typed it; ``title`` becomes the English. A row whose
source is gone keeps its text (shown as it is) until the next sync removes it."""

from django.conf import settings
from django.db import migrations
from django.utils import translation

from stakeholders.enums import ListPurpose


def _languages(obj, field):
    found = {}
    for code, _name in settings.LANGUAGES:
        value = getattr(obj, f"{field}_{code.replace('-', '_')}", None)
        if value:
            found[code] = value
    return found


def forwards(apps, schema_editor):
    Deadline = apps.get_model("deadlines", "Deadline")
    Deliverable = apps.get_model("phases", "Deliverable")
    Meeting = apps.get_model("phases", "Meeting")
    StakeholderList = apps.get_model("stakeholders", "StakeholderList")
    ApplicationWindow = apps.get_model("stakeholders", "ApplicationWindow")
    sources = {
        "deliverable": Deliverable,
        "meeting-registration": Meeting,
        "list-review": StakeholderList,
        "application-window": ApplicationWindow,
    }
    changed = []
    for deadline in Deadline.objects.filter(title_key="").iterator():
        prefix, _sep, pk = deadline.key.partition(":")
        model = sources.get(prefix)
        if model is None or not pk.isdigit():
            continue
        source = model.objects.filter(pk=int(pk)).first()
        if source is None:
            continue
        if prefix in ("deliverable", "meeting-registration"):
            params = _languages(source, "title")
            if not params:
                continue
            key, english = "text", params.get("en") or next(iter(params.values()))
        elif prefix == "list-review":
            key, params, english = "plain", {"text": source.title}, source.title
        else:
            key, params = "list_purpose", {"value": source.purpose}
            with translation.override("en"):
                english = str(ListPurpose(source.purpose).label)
        deadline.title_key, deadline.title_params, deadline.title = key, params, english[:300]
        changed.append(deadline)
    Deadline.objects.bulk_update(changed, ["title_key", "title_params", "title"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("stakeholders", "0008_application_purpose"),
        ("deadlines", "0003_deadline_title_labels"),
        ("phases", "0004_member_state_names"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
