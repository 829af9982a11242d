"""The names of the States and of the observer organizations in the five other official
languages (issue 7). Until now only name_en was filled (migration 0002).

States: the UN's short names from phases/data/member-state-names.csv (made once by
phases/data/make_member_state_names.py from Babel's CLDR names, corrected to the UN's
forms; the app never imports Babel), matched by iso3.

Observer organizations: their UN names, from the table below, matched by acronym. An
organization that is not in the database is skipped.

Reverse: the five columns are emptied again (NULL, as after 0002)."""

import csv
from pathlib import Path

from django.db import migrations

CSV = Path(__file__).resolve().parent.parent / "data" / "member-state-names.csv"
COLUMNS = ("name_ar", "name_zh_hans", "name_fr", "name_ru", "name_es")

# acronym -> (ar, zh-hans, fr, ru, es): the organizations' own names in the UN's languages.
OBSERVERS = {
    "IOM": (
        "المنظمة الدولية للهجرة",
        "国际移民组织",
        "Organisation internationale pour les migrations",
        "Международная организация по миграции",
        "Organización Internacional para las Migraciones",
    ),
    "UNHCR": (
        "مفوضية الأمم المتحدة لشؤون اللاجئين",
        "联合国难民事务高级专员办事处",
        "Haut-Commissariat des Nations Unies pour les réfugiés",
        "Управление Верховного комиссара Организации Объединенных Наций по делам беженцев",
        "Oficina del Alto Comisionado de las Naciones Unidas para los Refugiados",
    ),
    "OHCHR": (
        "مفوضية الأمم المتحدة السامية لحقوق الإنسان",
        "联合国人权事务高级专员办事处",
        "Haut-Commissariat des Nations Unies aux droits de l'homme",
        "Управление Верховного комиссара Организации Объединенных Наций по правам человека",
        "Oficina del Alto Comisionado de las Naciones Unidas para los Derechos Humanos",
    ),
    "UNODC": (
        "مكتب الأمم المتحدة المعني بالمخدرات والجريمة",
        "联合国毒品和犯罪问题办公室",
        "Office des Nations Unies contre la drogue et le crime",
        "Управление Организации Объединенных Наций по наркотикам и преступности",
        "Oficina de las Naciones Unidas contra la Droga y el Delito",
    ),
    "UNDP": (
        "برنامج الأمم المتحدة الإنمائي",
        "联合国开发计划署",
        "Programme des Nations Unies pour le développement",
        "Программа развития Организации Объединенных Наций",
        "Programa de las Naciones Unidas para el Desarrollo",
    ),
    "UNICEF": (
        "منظمة الأمم المتحدة للطفولة",
        "联合国儿童基金会",
        "Fonds des Nations Unies pour l'enfance",
        "Детский фонд Организации Объединенных Наций",
        "Fondo de las Naciones Unidas para la Infancia",
    ),
    "UN-Women": (
        "هيئة الأمم المتحدة للمساواة بين الجنسين وتمكين المرأة",
        "联合国促进性别平等和增强妇女权能署",
        "Entité des Nations Unies pour l'égalité des sexes et l'autonomisation des femmes",
        "Структура Организации Объединенных Наций по вопросам гендерного равенства"
        " и расширения прав и возможностей женщин",
        "Entidad de las Naciones Unidas para la Igualdad de Género"
        " y el Empoderamiento de las Mujeres",
    ),
    "DESA": (
        "إدارة الشؤون الاقتصادية والاجتماعية",
        "经济和社会事务部",
        "Département des affaires économiques et sociales",
        "Департамент по экономическим и социальным вопросам",
        "Departamento de Asuntos Económicos y Sociales",
    ),
    "ILO": (
        "منظمة العمل الدولية",
        "国际劳工组织",
        "Organisation internationale du Travail",
        "Международная организация труда",
        "Organización Internacional del Trabajo",
    ),
    "WHO": (
        "منظمة الصحة العالمية",
        "世界卫生组织",
        "Organisation mondiale de la Santé",
        "Всемирная организация здравоохранения",
        "Organización Mundial de la Salud",
    ),
    "UNESCO": (
        "منظمة الأمم المتحدة للتربية والعلم والثقافة",
        "联合国教育、科学及文化组织",
        "Organisation des Nations Unies pour l'éducation, la science et la culture",
        "Организация Объединенных Наций по вопросам образования, науки и культуры",
        "Organización de las Naciones Unidas para la Educación, la Ciencia y la Cultura",
    ),
    "FAO": (
        "منظمة الأغذية والزراعة للأمم المتحدة",
        "联合国粮食及农业组织",
        "Organisation des Nations Unies pour l'alimentation et l'agriculture",
        "Продовольственная и сельскохозяйственная организация Объединенных Наций",
        "Organización de las Naciones Unidas para la Alimentación y la Agricultura",
    ),
    "EU": (
        "الاتحاد الأوروبي",
        "欧洲联盟",
        "Union européenne",
        "Европейский союз",
        "Unión Europea",
    ),
    "AU": (
        "الاتحاد الأفريقي",
        "非洲联盟",
        "Union africaine",
        "Африканский союз",
        "Unión Africana",
    ),
    "OIF": (
        "المنظمة الدولية للفرانكفونية",
        "法语国家国际组织",
        "Organisation internationale de la Francophonie",
        "Международная организация франкоязычных стран",
        "Organización Internacional de la Francofonía",
    ),
    "ICRC": (
        "اللجنة الدولية للصليب الأحمر",
        "红十字国际委员会",
        "Comité international de la Croix-Rouge",
        "Международный комитет Красного Креста",
        "Comité Internacional de la Cruz Roja",
    ),
}


def fill(apps, schema_editor):
    MemberState = apps.get_model("phases", "MemberState")
    ObserverOrganization = apps.get_model("phases", "ObserverOrganization")
    with CSV.open(encoding="utf-8", newline="") as f:
        names = {row["iso3"]: row for row in csv.DictReader(f)}
    states = list(MemberState.objects.filter(iso3__in=names))
    for state in states:
        for column in COLUMNS:
            setattr(state, column, names[state.iso3][column])
    MemberState.objects.bulk_update(states, COLUMNS)
    organizations = list(ObserverOrganization.objects.filter(acronym__in=OBSERVERS))
    for organization in organizations:
        for column, name in zip(COLUMNS, OBSERVERS[organization.acronym], strict=True):
            setattr(organization, column, name)
    ObserverOrganization.objects.bulk_update(organizations, COLUMNS)


def empty(apps, schema_editor):
    emptied = dict.fromkeys(COLUMNS)
    apps.get_model("phases", "MemberState").objects.update(**emptied)
    apps.get_model("phases", "ObserverOrganization").objects.filter(
        acronym__in=OBSERVERS
    ).update(**emptied)


class Migration(migrations.Migration):
    dependencies = [("phases", "0003_documents_and_drafts")]
    operations = [migrations.RunPython(fill, empty)]
