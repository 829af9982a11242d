"""Writes member-state-names.csv: the UN short names of the 195 States of
member-states.csv in Arabic, Chinese, French, Russian and Spanish.

Run once by a developer, from the project root:

    .venv/bin/python phases/data/make_member_state_names.py

It needs Babel (``pip install babel``; it is in the ``dev`` extra; the committed CSV
was made with Babel 2.19.0). The app never imports Babel: migration
0004_member_state_names reads the committed CSV.

How the names are made: Babel's CLDR territory names are the starting point (the
alpha-2 code is found from the M49 code, checked against the ISO alpha-3 code). CLDR
gives everyday names ("Bolivia", "Russia", "Congo - Brazzaville"); the UN writes its
formal short names, as on the UN Member States page and in UNTERM ("Bolivia
(Plurinational State of)", "Russian Federation", "Congo"), and its own spellings
("Kenya" in Spanish, "Кыргызстан" in Russian, "بنن" in Arabic). CORRECTIONS holds
every name where the UN's differs from CLDR's; the script fails if a correction has
become equal to CLDR's name (drop it) so that the table stays the list of real
differences. Apostrophes are the straight ASCII ones, as in name_en.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

try:
    from babel import Locale
    from babel.core import get_global
except ImportError:  # pragma: no cover - developer tool
    sys.exit("make_member_state_names.py needs Babel: pip install babel")

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "member-states.csv"
TARGET = HERE / "member-state-names.csv"

# Column of the CSV -> Babel locale.
LANGUAGES = {
    "name_ar": "ar",
    "name_zh_hans": "zh_Hans",
    "name_fr": "fr",
    "name_ru": "ru",
    "name_es": "es",
}

# iso3 -> {column: UN name}, only where the UN's short name differs from CLDR's.
CORRECTIONS: dict[str, dict[str, str]] = {
    "BHS": {"name_ru": "Багамские Острова"},
    "BHR": {"name_es": "Bahrein"},
    "BGD": {"name_es": "Bangladesh"},
    "BLR": {"name_fr": "Bélarus", "name_es": "Belarús"},
    "BEN": {"name_ar": "بنن", "name_es": "Benin"},
    "BTN": {"name_es": "Bhután"},
    "BOL": {
        "name_ar": "بوليفيا (دولة - المتعددة القوميات)",
        "name_zh_hans": "多民族玻利维亚国",
        "name_fr": "Bolivie (État plurinational de)",
        "name_ru": "Боливия (Многонациональное Государство)",
        "name_es": "Bolivia (Estado Plurinacional de)",
    },
    "BWA": {"name_es": "Botswana"},
    "BRN": {
        "name_ar": "بروني دار السلام",
        "name_zh_hans": "文莱达鲁萨兰国",
        "name_fr": "Brunéi Darussalam",
        "name_ru": "Бруней-Даруссалам",
        "name_es": "Brunei Darussalam",
    },
    "CPV": {"name_ar": "كابو فيردي", "name_fr": "Cabo Verde"},
    "CAF": {"name_ru": "Центральноафриканская Республика"},
    "CHL": {"name_ar": "شيلي"},
    "COM": {"name_ru": "Коморские Острова"},
    "COG": {
        "name_ar": "الكونغو",
        "name_zh_hans": "刚果",
        "name_fr": "Congo",
        "name_ru": "Конго",
    },
    "CIV": {
        "name_ar": "كوت ديفوار",
        "name_fr": "Côte d'Ivoire",
        "name_ru": "Кот-д'Ивуар",
        "name_es": "Côte d'Ivoire",
    },
    "CZE": {"name_ar": "تشيكيا"},
    "PRK": {
        "name_ar": "جمهورية كوريا الشعبية الديمقراطية",
        "name_zh_hans": "朝鲜民主主义人民共和国",
        "name_fr": "République populaire démocratique de Corée",
        "name_ru": "Корейская Народно-Демократическая Республика",
        "name_es": "República Popular Democrática de Corea",
    },
    "COD": {
        "name_ar": "جمهورية الكونغو الديمقراطية",
        "name_zh_hans": "刚果民主共和国",
        "name_fr": "République démocratique du Congo",
        "name_ru": "Демократическая Республика Конго",
    },
    "DJI": {"name_es": "Djibouti"},
    "DOM": {"name_ar": "الجمهورية الدومينيكية"},
    "ECU": {"name_ar": "إكوادور"},
    "SLV": {"name_fr": "El Salvador"},
    "SWZ": {"name_es": "Eswatini"},
    "FJI": {"name_es": "Fiji"},
    "GAB": {"name_ar": "غابون"},
    "GNB": {"name_ar": "غينيا - بيساو", "name_es": "Guinea-Bissau"},
    "IRN": {
        "name_ar": "إيران (جمهورية - الإسلامية)",
        "name_zh_hans": "伊朗伊斯兰共和国",
        "name_fr": "Iran (République islamique d')",
        "name_ru": "Иран (Исламская Республика)",
        "name_es": "Irán (República Islámica del)",
    },
    "IRQ": {"name_fr": "Iraq", "name_es": "Iraq"},
    "IRL": {"name_ar": "آيرلندا"},
    "KAZ": {"name_es": "Kazajstán"},
    "KEN": {"name_es": "Kenya"},
    "KIR": {"name_ar": "كيريباس"},
    "KGZ": {"name_fr": "Kirghizistan", "name_ru": "Кыргызстан"},
    "LAO": {
        "name_ar": "جمهورية لاو الديمقراطية الشعبية",
        "name_zh_hans": "老挝人民民主共和国",
        "name_fr": "République démocratique populaire lao",
        "name_ru": "Лаосская Народно-Демократическая Республика",
        "name_es": "República Democrática Popular Lao",
    },
    "LSO": {"name_es": "Lesotho"},
    "LBR": {"name_fr": "Libéria"},
    "LUX": {"name_ar": "لكسمبرغ"},
    "MWI": {"name_es": "Malawi"},
    "MDV": {"name_ar": "ملديف", "name_ru": "Мальдивские Острова"},
    "MLI": {"name_es": "Malí"},
    "MLT": {"name_ar": "مالطة"},
    "MHL": {"name_ru": "Маршалловы Острова"},
    "FSM": {
        "name_ar": "ميكرونيزيا (ولايات - الموحدة)",
        "name_zh_hans": "密克罗尼西亚联邦",
        "name_fr": "Micronésie (États fédérés de)",
        "name_ru": "Микронезия (Федеративные Штаты)",
        "name_es": "Micronesia (Estados Federados de)",
    },
    "MOZ": {"name_ar": "موزامبيق"},
    "MMR": {
        "name_ar": "ميانمار",
        "name_fr": "Myanmar",
        "name_ru": "Мьянма",
        "name_es": "Myanmar",
    },
    "NLD": {
        "name_ar": "هولندا (مملكة -)",
        "name_zh_hans": "荷兰王国",
        "name_fr": "Pays-Bas (Royaume des)",
        "name_ru": "Нидерланды (Королевство)",
        "name_es": "Países Bajos (Reino de los)",
    },
    "NZL": {"name_es": "Nueva Zelandia"},
    "NGA": {"name_fr": "Nigéria"},
    "OMN": {"name_ar": "عمان"},
    "PLW": {"name_es": "Palau"},
    "PNG": {"name_ru": "Папуа-Новая Гвинея", "name_es": "Papua Nueva Guinea"},
    "QAT": {"name_es": "Qatar"},
    "KOR": {
        "name_ar": "جمهورية كوريا",
        "name_zh_hans": "大韩民国",
        "name_fr": "République de Corée",
        "name_es": "República de Corea",
    },
    "MDA": {
        "name_ar": "جمهورية مولدوفا",
        "name_zh_hans": "摩尔多瓦共和国",
        "name_fr": "République de Moldova",
        "name_ru": "Республика Молдова",
        "name_es": "República de Moldova",
    },
    "ROU": {"name_es": "Rumania"},
    "RUS": {
        "name_ar": "الاتحاد الروسي",
        "name_zh_hans": "俄罗斯联邦",
        "name_fr": "Fédération de Russie",
        "name_ru": "Российская Федерация",
        "name_es": "Federación de Rusia",
    },
    "RWA": {"name_es": "Rwanda"},
    "KNA": {
        "name_ar": "سانت كيتس ونيفس",
        "name_fr": "Saint-Kitts-et-Nevis",
        "name_es": "Saint Kitts y Nevis",
    },
    "STP": {"name_ar": "سان تومي وبرينسيبي"},
    "SAU": {"name_es": "Arabia Saudita"},
    "SYC": {"name_ar": "سيشيل", "name_ru": "Сейшельские Острова"},
    "SLB": {"name_ru": "Соломоновы Острова"},
    "ZAF": {"name_ru": "Южная Африка"},
    "LKA": {"name_ar": "سري لانكا"},
    "SUR": {"name_es": "Suriname"},
    "SYR": {
        "name_ar": "الجمهورية العربية السورية",
        "name_zh_hans": "阿拉伯叙利亚共和国",
        "name_fr": "République arabe syrienne",
        "name_ru": "Сирийская Арабская Республика",
        "name_es": "República Árabe Siria",
    },
    "THA": {"name_ar": "تايلند"},
    "TLS": {"name_fr": "Timor-Leste", "name_ru": "Тимор-Лешти"},
    "TTO": {"name_es": "Trinidad y Tabago"},
    "TUR": {"name_fr": "Türkiye", "name_es": "Türkiye"},
    "ARE": {"name_ru": "Объединенные Арабские Эмираты"},
    "GBR": {
        "name_ar": "المملكة المتحدة لبريطانيا العظمى وآيرلندا الشمالية",
        "name_zh_hans": "大不列颠及北爱尔兰联合王国",
        "name_fr": "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
        "name_ru": "Соединенное Королевство Великобритании и Северной Ирландии",
        "name_es": "Reino Unido de Gran Bretaña e Irlanda del Norte",
    },
    "TZA": {
        "name_ar": "جمهورية تنزانيا المتحدة",
        "name_zh_hans": "坦桑尼亚联合共和国",
        "name_fr": "République-Unie de Tanzanie",
        "name_ru": "Объединенная Республика Танзания",
        "name_es": "República Unida de Tanzanía",
    },
    "USA": {
        "name_ar": "الولايات المتحدة الأمريكية",
        "name_zh_hans": "美利坚合众国",
        "name_fr": "États-Unis d'Amérique",
        "name_ru": "Соединенные Штаты Америки",
        "name_es": "Estados Unidos de América",
    },
    "URY": {"name_ar": "أوروغواي"},
    "VEN": {
        "name_ar": "فنزويلا (جمهورية - البوليفارية)",
        "name_zh_hans": "委内瑞拉玻利瓦尔共和国",
        "name_fr": "Venezuela (République bolivarienne du)",
        "name_ru": "Венесуэла (Боливарианская Республика)",
        "name_es": "Venezuela (República Bolivariana de)",
    },
    "VNM": {"name_ar": "فييت نام", "name_fr": "Viet Nam", "name_es": "Viet Nam"},
    "ZWE": {"name_ar": "زمبابوي", "name_es": "Zimbabwe"},
    "VAT": {
        "name_ar": "الكرسي الرسولي",
        "name_zh_hans": "教廷",
        "name_fr": "Saint-Siège",
        "name_ru": "Святой Престол",
        "name_es": "Santa Sede",
    },
    "PSE": {
        "name_ar": "دولة فلسطين",
        "name_zh_hans": "巴勒斯坦国",
        "name_fr": "État de Palestine",
        "name_ru": "Государство Палестина",
        "name_es": "Estado de Palestina",
    },
}


def alpha2(iso3: str, m49: str) -> str:
    """The ISO alpha-2 code, from CLDR's aliases of the M49 and alpha-3 codes."""
    aliases = get_global("territory_aliases")
    by_m49 = aliases[m49][0]
    by_iso3 = aliases[iso3][0]
    if by_m49 != by_iso3:
        raise SystemExit(f"{iso3}/{m49}: CLDR maps them to {by_iso3} and {by_m49}")
    return by_m49


def main() -> None:
    with SOURCE.open(encoding="utf-8", newline="") as f:
        states = list(csv.DictReader(f))
    locales = {column: Locale.parse(code) for column, code in LANGUAGES.items()}
    unknown = set(CORRECTIONS) - {s["iso3"] for s in states}
    if unknown:
        raise SystemExit(f"corrections for States not in member-states.csv: {sorted(unknown)}")
    rows = []
    for state in states:
        code = alpha2(state["iso3"], state["m49"])
        row = {"iso3": state["iso3"]}
        fixes = CORRECTIONS.get(state["iso3"], {})
        for column, locale in locales.items():
            cldr = locale.territories[code]
            un = fixes.get(column)
            if un is not None and un == cldr:
                raise SystemExit(f"{state['iso3']} {column}: {un!r} is CLDR's name already")
            row[column] = un or cldr
        rows.append(row)
    with TARGET.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["iso3", *LANGUAGES], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} States written to {TARGET.name}")


if __name__ == "__main__":
    main()
