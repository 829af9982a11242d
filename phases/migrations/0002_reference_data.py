"""Ships the reference data: 193 Member States and 2 observer States (from
phases/data/member-states.csv, a copy of the project's verified file; see its
SOURCES.md), and observer organizations by category (OP 3–4)."""

import csv
import datetime
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "member-states.csv"

GROUPS = {
    "African": "african",
    "Asia-Pacific": "asia_pacific",
    "Eastern European": "eastern_european",
    "Latin American and Caribbean": "grulac",
    "Western European and others": "weog",
    "": "",
}

# OP 3–4: UN system entities and intergovernmental organizations take part as observers.
OBSERVERS = [
    ("IOM", "International Organization for Migration", "related_organization"),
    ("UNHCR", "Office of the United Nations High Commissioner for Refugees", "un_system"),
    ("OHCHR", "Office of the United Nations High Commissioner for Human Rights", "un_system"),
    ("UNODC", "United Nations Office on Drugs and Crime", "un_system"),
    ("UNDP", "United Nations Development Programme", "un_system"),
    ("UNICEF", "United Nations Children's Fund", "un_system"),
    ("UN-Women", "United Nations Entity for Gender Equality and the Empowerment of Women", "un_system"),
    ("DESA", "Department of Economic and Social Affairs", "un_system"),
    ("ILO", "International Labour Organization", "specialized_agency"),
    ("WHO", "World Health Organization", "specialized_agency"),
    ("UNESCO", "United Nations Educational, Scientific and Cultural Organization", "specialized_agency"),
    ("FAO", "Food and Agriculture Organization of the United Nations", "specialized_agency"),
    ("EU", "European Union", "igo"),
    ("AU", "African Union", "igo"),
    ("OIF", "International Organisation of La Francophonie", "igo"),
    ("ICRC", "International Committee of the Red Cross", "igo"),
]


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def load(apps, schema_editor):
    MemberState = apps.get_model("phases", "MemberState")
    ObserverOrganization = apps.get_model("phases", "ObserverOrganization")
    with CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    MemberState.objects.bulk_create(
        MemberState(
            name=row["name_en"],
            name_en=row["name_en"],
            iso3=row["iso3"],
            m49=row["m49"],
            status=row["status"],
            un_member_since=_date(row["un_member_since"]),
            regional_group=GROUPS[row["regional_group"]],
            regional_group_note=row["regional_group_note"],
            ldc_from=_date(row["ldc_from"]),
            ldc_until=_date(row["ldc_until"]),
            developing=row["developing"] == "yes",
        )
        for row in rows
    )
    ObserverOrganization.objects.bulk_create(
        ObserverOrganization(acronym=acronym, name=name, name_en=name, category=category)
        for acronym, name, category in OBSERVERS
    )


def unload(apps, schema_editor):
    apps.get_model("phases", "MemberState").objects.all().delete()
    apps.get_model("phases", "ObserverOrganization").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("phases", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
