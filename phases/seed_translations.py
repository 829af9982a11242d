"""The seeded GCM process in the other five official languages: every English text that
``phases.seed`` (and ``phases.drafts.demo``) writes into a translated field, keyed by
that English text. ``seed`` fills, after the English, each translation column that is
still empty; an English text the secretariat has since changed no longer matches, and
its translations are left alone.

Sources. The Chinese of the six themes, and the Chinese names of the phases, of the
informal thematic sessions and of the multi-stakeholder hearings, are taken verbatim
from the official Chinese text of resolution 71/280 (shared/seed/resolution-71-280.zh.txt,
OP 14, 15 and 30), except that the half-width commas of that copy's OP 15 are written
full-width here, as Chinese writes them; the pages would otherwise show Latin commas
between Chinese characters. The
names of the compact and of the conference, and the other languages' themes, follow the
official United Nations versions as closely as the compiler knows them; the rest (panel
titles, the stocktaking meeting's theme, deliverables, letters) are translations made for
this seed in the United Nations' terminology, and marked as such below.

The demonstration drafts' paragraphs stay in English (they are demonstration text, not
the real negotiation drafts); only their titles are translated here.

Keys of each entry are the translation columns' suffixes: ``ar``, ``zh_hans``, ``fr``,
``ru``, ``es``.
"""

from __future__ import annotations

import re
from functools import cache

LANGUAGES = ("ar", "zh_hans", "fr", "ru", "es")

Texts = dict[str, dict[str, str]]

# --- The process -------------------------------------------------------------------------

# The compact's name: the official names in each language.
PROCESS: Texts = {
    "Global Compact for Safe, Orderly and Regular Migration": {
        "ar": "الاتفاق العالمي من أجل الهجرة الآمنة والمنظمة والنظامية",
        "zh_hans": "安全、有序和正常移民全球契约",
        "fr": "Pacte mondial pour des migrations sûres, ordonnées et régulières",
        "ru": "Глобальный договор о безопасной, упорядоченной и легальной миграции",
        "es": "Pacto Mundial para la Migración Segura, Ordenada y Regular",
    },
    # Translated for this seed.
    "The intergovernmental process that prepared the Global Compact for Safe, Orderly "
    "and Regular Migration: consultations, stocktaking and negotiations, 2017–2018, "
    "leading to the intergovernmental conference in Marrakech.": {
        "ar": "العملية الحكومية الدولية التي أُعدّ فيها الاتفاق العالمي من أجل الهجرة الآمنة "
        "والمنظمة والنظامية: المشاورات والتقييم والمفاوضات، 2017-2018، وصولاً إلى المؤتمر "
        "الحكومي الدولي في مراكش.",
        "zh_hans": "筹备安全、有序和正常移民全球契约的政府间进程：协商、评估和谈判"
        "（2017–2018年），最终在马拉喀什举行政府间会议。",
        "fr": "Le processus intergouvernemental qui a préparé le Pacte mondial pour des "
        "migrations sûres, ordonnées et régulières : consultations, bilan et négociations, "
        "2017-2018, jusqu'à la conférence intergouvernementale de Marrakech.",
        "ru": "Межправительственный процесс подготовки Глобального договора о безопасной, "
        "упорядоченной и легальной миграции: консультации, подведение итогов и переговоры, "
        "2017–2018 годы, завершившийся межправительственной конференцией в Марракеше.",
        "es": "El proceso intergubernamental que preparó el Pacto Mundial para la Migración "
        "Segura, Ordenada y Regular: consultas, balance y negociaciones, 2017-2018, hasta la "
        "conferencia intergubernamental de Marrakech.",
    },
}

# OP 14: the three phases. Chinese: the resolution's names (第一阶段, 协商, ...).
PHASES: Texts = {
    "Phase I: Consultations": {
        "ar": "المرحلة الأولى: المشاورات",
        "zh_hans": "第一阶段：协商",
        "fr": "Phase I : consultations",
        "ru": "Этап I: консультации",
        "es": "Fase I: consultas",
    },
    "Phase II: Stocktaking": {
        "ar": "المرحلة الثانية: التقييم",
        "zh_hans": "第二阶段：评估",
        "fr": "Phase II : bilan",
        "ru": "Этап II: подведение итогов",
        "es": "Fase II: balance",
    },
    "Phase III: Intergovernmental negotiations": {
        "ar": "المرحلة الثالثة: المفاوضات الحكومية الدولية",
        "zh_hans": "第三阶段：政府间谈判",
        "fr": "Phase III : négociations intergouvernementales",
        "ru": "Этап III: межправительственные переговоры",
        "es": "Fase III: negociaciones intergubernamentales",
    },
}

# Venues' names and cities: the names the United Nations uses in each language.
VENUES: Texts = {
    "Palais des Nations": {
        "ar": "قصر الأمم",
        "zh_hans": "万国宫",
        "fr": "Palais des Nations",
        "ru": "Дворец Наций",
        "es": "Palacio de las Naciones",
    },
    "United Nations Headquarters": {
        "ar": "مقر الأمم المتحدة",
        "zh_hans": "联合国总部",
        "fr": "Siège de l'Organisation des Nations Unies",
        "ru": "Центральные учреждения Организации Объединенных Наций",
        "es": "Sede de las Naciones Unidas",
    },
    "Vienna International Centre": {
        "ar": "مركز فيينا الدولي",
        "zh_hans": "维也纳国际中心",
        "fr": "Centre international de Vienne",
        "ru": "Венский международный центр",
        "es": "Centro Internacional de Viena",
    },
    "Puerto Vallarta": {
        "ar": "بويرتو فالارتا",
        "zh_hans": "巴亚尔塔港",
        "fr": "Puerto Vallarta",
        "ru": "Пуэрто-Вальярта",
        "es": "Puerto Vallarta",
    },
    "Marrakech": {
        "ar": "مراكش",
        "zh_hans": "马拉喀什",
        "fr": "Marrakech",
        "ru": "Марракеш",
        "es": "Marrakech",
    },
    "Geneva": {
        "ar": "جنيف",
        "zh_hans": "日内瓦",
        "fr": "Genève",
        "ru": "Женева",
        "es": "Ginebra",
    },
    "New York": {
        "ar": "نيويورك",
        "zh_hans": "纽约",
        "fr": "New York",
        "ru": "Нью-Йорк",
        "es": "Nueva York",
    },
    "Vienna": {
        "ar": "فيينا",
        "zh_hans": "维也纳",
        "fr": "Vienne",
        "ru": "Вена",
        "es": "Viena",
    },
}

# --- The informal thematic sessions (OP 15) ------------------------------------------------

# The six themes (``phases.parameters.GCM_THEMATIC_SLOTS``), in the resolution's order.
# Chinese: verbatim from OP 15 of the official Chinese text. The other languages: the
# official versions' wording as best the compiler knows it (not checked against the
# documents here).
THEMES: Texts = {
    "Human rights of all migrants, social inclusion, cohesion, and all forms of "
    "discrimination, including racism, xenophobia and intolerance": {
        "ar": "حقوق الإنسان لجميع المهاجرين، والإدماج الاجتماعي، والتماسك، وجميع أشكال "
        "التمييز، بما في ذلك العنصرية وكره الأجانب والتعصب",
        "zh_hans": "所有移民的人权、社会包容、融合和一切形式的歧视，"
        "包括种族主义、仇外心理和不容忍现象",
        "fr": "Droits de l'homme de tous les migrants, inclusion sociale, cohésion et toutes "
        "les formes de discrimination, y compris le racisme, la xénophobie et l'intolérance",
        "ru": "Права человека всех мигрантов, социальная интеграция, сплоченность и все формы "
        "дискриминации, включая расизм, ксенофобию и нетерпимость",
        "es": "Derechos humanos de todos los migrantes, inclusión social, cohesión y todas las "
        "formas de discriminación, incluidos el racismo, la xenofobia y la intolerancia",
    },
    "Irregular migration and regular pathways, including decent work, labour mobility, "
    "recognition of skills and qualifications and other relevant measures": {
        "ar": "الهجرة غير النظامية والمسارات النظامية، بما في ذلك العمل اللائق، وتنقل اليد "
        "العاملة، والاعتراف بالمهارات والمؤهلات، وغير ذلك من التدابير ذات الصلة",
        "zh_hans": "非正常移民和正常途径，包括体面工作、劳工流动、技能和资格的承认及其他相关措施",
        "fr": "Migrations irrégulières et voies de migration régulières, y compris le travail "
        "décent, la mobilité de la main-d'œuvre, la reconnaissance des compétences et des "
        "qualifications et d'autres mesures pertinentes",
        "ru": "Нелегальная миграция и легальные пути миграции, включая достойную работу, "
        "мобильность рабочей силы, признание навыков и квалификации и другие "
        "соответствующие меры",
        "es": "Migración irregular y vías de migración regular, incluidos el trabajo decente, "
        "la movilidad laboral, el reconocimiento de aptitudes y cualificaciones y otras "
        "medidas pertinentes",
    },
    "International cooperation and governance of migration in all its dimensions, "
    "including at borders, on transit, entry, return, readmission, integration and "
    "reintegration": {
        "ar": "التعاون الدولي وحوكمة الهجرة بجميع أبعادها، بما في ذلك على الحدود، وفيما يتعلق "
        "بالعبور والدخول والعودة وإعادة القبول والإدماج وإعادة الإدماج",
        "zh_hans": "国际合作和移民治理的所有层面，包括在边界、过境、入境、回返、重新接纳、"
        "就地安置和重返社会方面",
        "fr": "Coopération internationale et gouvernance des migrations dans toutes leurs "
        "dimensions, y compris aux frontières, en matière de transit, d'entrée, de retour, "
        "de réadmission, d'intégration et de réintégration",
        "ru": "Международное сотрудничество и регулирование миграции во всех ее аспектах, "
        "в том числе на границах, при транзите, въезде, возвращении, реадмиссии, интеграции "
        "и реинтеграции",
        "es": "Cooperación internacional y gobernanza de la migración en todas sus dimensiones, "
        "incluidos los aspectos relativos a las fronteras, el tránsito, la entrada, el "
        "retorno, la readmisión, la integración y la reintegración",
    },
    # Also the fourth session's title (the seed uses the whole theme there).
    "Contributions of migrants and diasporas to all dimensions of sustainable "
    "development, including remittances and portability of earned benefits": {
        "ar": "إسهامات المهاجرين والمغتربين في جميع أبعاد التنمية المستدامة، بما في ذلك "
        "التحويلات المالية وإمكانية نقل الاستحقاقات المكتسبة",
        "zh_hans": "移民和散居国外者对可持续发展各方面的贡献，包括汇款及已赚取福利的可携带性",
        "fr": "Contributions des migrants et des diasporas à toutes les dimensions du "
        "développement durable, y compris les envois de fonds et la transférabilité des "
        "prestations acquises",
        "ru": "Вклад мигрантов и диаспор во все аспекты устойчивого развития, включая денежные "
        "переводы и переносимость заработанных пособий",
        "es": "Contribuciones de los migrantes y las diásporas a todas las dimensiones del "
        "desarrollo sostenible, incluidas las remesas y la portabilidad de las prestaciones "
        "adquiridas",
    },
    "Addressing drivers of migration, including adverse effects of climate change, "
    "natural disasters and human-made crises, through protection and assistance, "
    "sustainable development, poverty eradication, conflict prevention and resolution": {
        "ar": "معالجة دوافع الهجرة، بما في ذلك الآثار الضارة لتغير المناخ والكوارث الطبيعية "
        "والأزمات التي هي من صنع الإنسان، من خلال توفير الحماية والمساعدة، وتحقيق التنمية "
        "المستدامة، والقضاء على الفقر، ومنع نشوب النزاعات وحلها",
        "zh_hans": "通过提供保护和援助、可持续发展、消除贫穷、预防和解决冲突，应对移民的驱动因素，"
        "包括气候变化、自然灾害和人为危机的不利影响",
        "fr": "Lutte contre les facteurs de migration, y compris les effets néfastes des "
        "changements climatiques, les catastrophes naturelles et les crises causées par "
        "l'homme, par la protection et l'assistance, le développement durable, "
        "l'élimination de la pauvreté et la prévention et le règlement des conflits",
        "ru": "Устранение факторов, обусловливающих миграцию, включая неблагоприятные "
        "последствия изменения климата, стихийные бедствия и антропогенные кризисы, путем "
        "обеспечения защиты и помощи, устойчивого развития, искоренения нищеты, "
        "предотвращения и урегулирования конфликтов",
        "es": "Abordar los factores que impulsan la migración, incluidos los efectos adversos "
        "del cambio climático, los desastres naturales y las crisis causadas por el hombre, "
        "mediante la protección y la asistencia, el desarrollo sostenible, la erradicación "
        "de la pobreza y la prevención y solución de conflictos",
    },
    "Smuggling of migrants, trafficking in persons and contemporary forms of slavery, "
    "including appropriate identification, protection and assistance to migrants and "
    "trafficking victims": {
        "ar": "تهريب المهاجرين والاتجار بالأشخاص وأشكال الرق المعاصرة، بما في ذلك التعرف على "
        "المهاجرين وضحايا الاتجار على النحو المناسب وتوفير الحماية والمساعدة لهم",
        "zh_hans": "偷运移民、贩运人口和当代形式的奴隶制，包括适当识别、保护和援助移民和贩运受害者",
        "fr": "Trafic de migrants, traite des personnes et formes contemporaines d'esclavage, "
        "y compris l'identification, la protection et l'assistance appropriées aux migrants "
        "et aux victimes de la traite",
        "ru": "Незаконный ввоз мигрантов, торговля людьми и современные формы рабства, включая "
        "надлежащее выявление мигрантов и жертв торговли людьми и оказание им защиты и "
        "помощи",
        "es": "Tráfico ilícito de migrantes, trata de personas y formas contemporáneas de "
        "esclavitud, incluidas la identificación, la protección y la asistencia adecuadas a "
        "los migrantes y las víctimas de la trata",
    },
}

# The sessions' short titles (``phases.seed.SESSIONS``), after "Informal thematic session
# n: ". Each is the start of its theme, so each language takes the start of its theme;
# the Chinese are verbatim parts of OP 15.
SESSION_TITLES: Texts = {
    "Human rights of all migrants, social inclusion, cohesion and all forms of discrimination": {
        "ar": "حقوق الإنسان لجميع المهاجرين، والإدماج الاجتماعي، والتماسك، وجميع أشكال التمييز",
        "zh_hans": "所有移民的人权、社会包容、融合和一切形式的歧视",
        "fr": "Droits de l'homme de tous les migrants, inclusion sociale, cohésion et toutes "
        "les formes de discrimination",
        "ru": "Права человека всех мигрантов, социальная интеграция, сплоченность и все формы "
        "дискриминации",
        "es": "Derechos humanos de todos los migrantes, inclusión social, cohesión y todas las "
        "formas de discriminación",
    },
    "Addressing drivers of migration, including adverse effects of climate change, natural "
    "disasters and human-made crises": {
        "ar": "معالجة دوافع الهجرة، بما في ذلك الآثار الضارة لتغير المناخ والكوارث الطبيعية "
        "والأزمات التي هي من صنع الإنسان",
        "zh_hans": "应对移民的驱动因素，包括气候变化、自然灾害和人为危机的不利影响",
        "fr": "Lutte contre les facteurs de migration, y compris les effets néfastes des "
        "changements climatiques, les catastrophes naturelles et les crises causées par "
        "l'homme",
        "ru": "Устранение факторов, обусловливающих миграцию, включая неблагоприятные "
        "последствия изменения климата, стихийные бедствия и антропогенные кризисы",
        "es": "Abordar los factores que impulsan la migración, incluidos los efectos adversos "
        "del cambio climático, los desastres naturales y las crisis causadas por el hombre",
    },
    # Also the title of the third session's first panel.
    "International cooperation and governance of migration in all its dimensions": {
        "ar": "التعاون الدولي وحوكمة الهجرة بجميع أبعادها",
        "zh_hans": "国际合作和移民治理的所有层面",
        "fr": "Coopération internationale et gouvernance des migrations dans toutes leurs "
        "dimensions",
        "ru": "Международное сотрудничество и регулирование миграции во всех ее аспектах",
        "es": "Cooperación internacional y gobernanza de la migración en todas sus dimensiones",
    },
    "Smuggling of migrants, trafficking in persons and contemporary forms of slavery": {
        "ar": "تهريب المهاجرين والاتجار بالأشخاص وأشكال الرق المعاصرة",
        "zh_hans": "偷运移民、贩运人口和当代形式的奴隶制",
        "fr": "Trafic de migrants, traite des personnes et formes contemporaines d'esclavage",
        "ru": "Незаконный ввоз мигрантов, торговля людьми и современные формы рабства",
        "es": "Tráfico ilícito de migrantes, trata de personas y formas contemporáneas de "
        "esclavitud",
    },
    "Irregular migration and regular pathways, including decent work, labour mobility, "
    "recognition of skills and qualifications": {
        "ar": "الهجرة غير النظامية والمسارات النظامية، بما في ذلك العمل اللائق، وتنقل اليد "
        "العاملة، والاعتراف بالمهارات والمؤهلات",
        "zh_hans": "非正常移民和正常途径，包括体面工作、劳工流动、技能和资格的承认",
        "fr": "Migrations irrégulières et voies de migration régulières, y compris le travail "
        "décent, la mobilité de la main-d'œuvre, la reconnaissance des compétences et des "
        "qualifications",
        "ru": "Нелегальная миграция и легальные пути миграции, включая достойную работу, "
        "мобильность рабочей силы, признание навыков и квалификации",
        "es": "Migración irregular y vías de migración regular, incluidos el trabajo decente, "
        "la movilidad laboral, el reconocimiento de aptitudes y cualificaciones",
    },
}

# Panel titles (OP 16: "panel discussions", zh 专家小组讨论). Translated for this seed in
# the themes' wording.
PANELS: Texts = {
    "Human rights of all migrants": {
        "ar": "حقوق الإنسان لجميع المهاجرين",
        "zh_hans": "所有移民的人权",
        "fr": "Droits de l'homme de tous les migrants",
        "ru": "Права человека всех мигрантов",
        "es": "Derechos humanos de todos los migrantes",
    },
    "Social inclusion and cohesion": {
        "ar": "الإدماج الاجتماعي والتماسك",
        "zh_hans": "社会包容和融合",
        "fr": "Inclusion sociale et cohésion",
        "ru": "Социальная интеграция и сплоченность",
        "es": "Inclusión social y cohesión",
    },
    "First panel (title not recorded)": {
        "ar": "حلقة النقاش الأولى (العنوان غير مسجل)",
        "zh_hans": "第一个专家小组讨论（标题未记录）",
        "fr": "Première réunion-débat (intitulé non consigné)",
        "ru": "Первая дискуссионная группа (название не зафиксировано)",
        "es": "Primera mesa redonda (título no registrado)",
    },
    "Second panel (title not recorded)": {
        "ar": "حلقة النقاش الثانية (العنوان غير مسجل)",
        "zh_hans": "第二个专家小组讨论（标题未记录）",
        "fr": "Deuxième réunion-débat (intitulé non consigné)",
        "ru": "Вторая дискуссионная группа (название не зафиксировано)",
        "es": "Segunda mesa redonda (título no registrado)",
    },
    "Third panel (title not recorded)": {
        "ar": "حلقة النقاش الثالثة (العنوان غير مسجل)",
        "zh_hans": "第三个专家小组讨论（标题未记录）",
        "fr": "Troisième réunion-débat (intitulé non consigné)",
        "ru": "Третья дискуссионная группа (название не зафиксировано)",
        "es": "Tercera mesa redonda (título no registrado)",
    },
    "Sustainable development and poverty eradication": {
        "ar": "التنمية المستدامة والقضاء على الفقر",
        "zh_hans": "可持续发展和消除贫穷",
        "fr": "Développement durable et élimination de la pauvreté",
        "ru": "Устойчивое развитие и искоренение нищеты",
        "es": "Desarrollo sostenible y erradicación de la pobreza",
    },
    "Human-made crises as drivers of migration": {
        "ar": "الأزمات التي هي من صنع الإنسان بوصفها دوافع للهجرة",
        "zh_hans": "人为危机作为移民的驱动因素",
        "fr": "Les crises causées par l'homme en tant que facteurs de migration",
        "ru": "Антропогенные кризисы как факторы миграции",
        "es": "Las crisis causadas por el hombre como factores que impulsan la migración",
    },
    "Adverse effects of climate change and natural disasters as drivers of migration": {
        "ar": "الآثار الضارة لتغير المناخ والكوارث الطبيعية بوصفها دوافع للهجرة",
        "zh_hans": "气候变化和自然灾害的不利影响作为移民的驱动因素",
        "fr": "Les effets néfastes des changements climatiques et les catastrophes naturelles "
        "en tant que facteurs de migration",
        "ru": "Неблагоприятные последствия изменения климата и стихийные бедствия как факторы "
        "миграции",
        "es": "Los efectos adversos del cambio climático y los desastres naturales como "
        "factores que impulsan la migración",
    },
    "International cooperation and governance of migration on return, readmission, "
    "integration and reintegration": {
        "ar": "التعاون الدولي وحوكمة الهجرة في مجالات العودة وإعادة القبول والإدماج وإعادة الإدماج",
        "zh_hans": "在回返、重新接纳、就地安置和重返社会方面的国际合作和移民治理",
        "fr": "Coopération internationale et gouvernance des migrations en matière de retour, "
        "de réadmission, d'intégration et de réintégration",
        "ru": "Международное сотрудничество и регулирование миграции в вопросах возвращения, "
        "реадмиссии, интеграции и реинтеграции",
        "es": "Cooperación internacional y gobernanza de la migración en materia de retorno, "
        "readmisión, integración y reintegración",
    },
    "Smuggling of migrants": {
        "ar": "تهريب المهاجرين",
        "zh_hans": "偷运移民",
        "fr": "Trafic de migrants",
        "ru": "Незаконный ввоз мигрантов",
        "es": "Tráfico ilícito de migrantes",
    },
    "Trafficking in persons and contemporary forms of slavery": {
        "ar": "الاتجار بالأشخاص وأشكال الرق المعاصرة",
        "zh_hans": "贩运人口和当代形式的奴隶制",
        "fr": "Traite des personnes et formes contemporaines d'esclavage",
        "ru": "Торговля людьми и современные формы рабства",
        "es": "Trata de personas y formas contemporáneas de esclavitud",
    },
    "Irregular migration and regular pathways": {
        "ar": "الهجرة غير النظامية والمسارات النظامية",
        "zh_hans": "非正常移民和正常途径",
        "fr": "Migrations irrégulières et voies de migration régulières",
        "ru": "Нелегальная миграция и легальные пути миграции",
        "es": "Migración irregular y vías de migración regular",
    },
    "Decent work and labour mobility": {
        "ar": "العمل اللائق وتنقل اليد العاملة",
        "zh_hans": "体面工作和劳工流动",
        "fr": "Travail décent et mobilité de la main-d'œuvre",
        "ru": "Достойная работа и мобильность рабочей силы",
        "es": "Trabajo decente y movilidad laboral",
    },
    "Recognition of skills and qualifications and other relevant measures": {
        "ar": "الاعتراف بالمهارات والمؤهلات وغير ذلك من التدابير ذات الصلة",
        "zh_hans": "技能和资格的承认及其他相关措施",
        "fr": "Reconnaissance des compétences et des qualifications et autres mesures pertinentes",
        "ru": "Признание навыков и квалификации и другие соответствующие меры",
        "es": "Reconocimiento de aptitudes y cualificaciones y otras medidas pertinentes",
    },
}

# --- Other meetings -------------------------------------------------------------------------

MEETINGS: Texts = {
    # OP 23; translated for this seed (zh: 评估 of phase II, 筹备会议 of OP 23).
    "Preparatory stocktaking meeting": {
        "ar": "الاجتماع التحضيري للتقييم",
        "zh_hans": "评估筹备会议",
        "fr": "Réunion préparatoire de bilan",
        "ru": "Подготовительное совещание по подведению итогов",
        "es": "Reunión preparatoria de balance",
    },
    # Its theme, from OP 23 (a)–(c); translated for this seed (zh in OP 23's words).
    "Inputs not yet presented; analysis of the inputs received; means of "
    "implementation and a framework for follow-up and review (OP 23–24).": {
        "ar": "المدخلات التي لم تُعرض بعد؛ وتحليل المدخلات الواردة؛ ووسائل التنفيذ وإطار "
        "للمتابعة والاستعراض (الفقرتان 23 و 24 من المنطوق).",
        "zh_hans": "尚未说明的意见和建议；分析所收到的材料；实施手段以及后续落实和审查机制"
        "（第23–24段）。",
        "fr": "Contributions non encore présentées ; analyse des contributions reçues ; "
        "moyens de mise en œuvre et cadre de suivi et d'examen (par. 23 et 24).",
        "ru": "Еще не представленные материалы; анализ полученных материалов; средства "
        "осуществления и рамочная основа для последующей деятельности и обзора "
        "(пункты 23–24).",
        "es": "Aportaciones aún no presentadas; análisis de las aportaciones recibidas; "
        "medios de implementación y un marco de seguimiento y examen (párrs. 23 y 24).",
    },
    # The conference's official name in each language.
    "Intergovernmental Conference to Adopt the Global Compact for Safe, Orderly "
    "and Regular Migration": {
        "ar": "المؤتمر الحكومي الدولي لاعتماد الاتفاق العالمي من أجل الهجرة الآمنة والمنظمة "
        "والنظامية",
        "zh_hans": "通过安全、有序和正常移民全球契约政府间会议",
        "fr": "Conférence intergouvernementale chargée d'adopter le Pacte mondial pour des "
        "migrations sûres, ordonnées et régulières",
        "ru": "Межправительственная конференция по принятию Глобального договора о "
        "безопасной, упорядоченной и легальной миграции",
        "es": "Conferencia Intergubernamental encargada de Aprobar el Pacto Mundial para la "
        "Migración Segura, Ordenada y Regular",
    },
}

# --- Deliverables (translated for this seed) ------------------------------------------------

DELIVERABLES: Texts = {
    "Work plan for the preparatory process": {
        "ar": "خطة العمل للعملية التحضيرية",
        "zh_hans": "筹备进程工作计划",
        "fr": "Plan de travail pour le processus préparatoire",
        "ru": "План работы в рамках подготовительного процесса",
        "es": "Plan de trabajo para el proceso preparatorio",
    },
    "Proposed list of stakeholders for the preparatory process (OP 6(b))": {
        "ar": "القائمة المقترحة لأصحاب المصلحة للعملية التحضيرية (الفقرة 6 (ب) من المنطوق)",
        "zh_hans": "筹备进程利益攸关方拟议名单（第6(b)段）",
        "fr": "Liste proposée de parties prenantes pour le processus préparatoire (par. 6 b))",
        "ru": "Предлагаемый список заинтересованных сторон для подготовительного процесса "
        "(пункт 6 b))",
        "es": "Lista propuesta de interesados para el proceso preparatorio (párr. 6 b))",
    },
    "Proposed list of stakeholders for the conference (OP 6(c))": {
        "ar": "القائمة المقترحة لأصحاب المصلحة للمؤتمر (الفقرة 6 (ج) من المنطوق)",
        "zh_hans": "政府间会议利益攸关方拟议名单（第6(c)段）",
        "fr": "Liste proposée de parties prenantes pour la conférence (par. 6 c))",
        "ru": "Предлагаемый список заинтересованных сторон для конференции (пункт 6 c))",
        "es": "Lista propuesta de interesados para la conferencia (párr. 6 c))",
    },
    # zh: OP 13's words (关于政府间会议工作安排的说明).
    "Note by the Secretary-General on the organizational arrangements of the conference": {
        "ar": "مذكرة من الأمين العام بشأن الترتيبات التنظيمية للمؤتمر",
        "zh_hans": "秘书长关于政府间会议工作安排的说明",
        "fr": "Note du Secrétaire général sur les modalités d'organisation de la conférence",
        "ru": "Записка Генерального секретаря об организационных мероприятиях конференции",
        "es": "Nota del Secretario General sobre las disposiciones organizativas de la conferencia",
    },
    # A/72/643: the report's title as the compiler knows its official versions.
    "Making migration work for all: report of the Secretary-General": {
        "ar": "جعل الهجرة تعمل لصالح الجميع: تقرير الأمين العام",
        "zh_hans": "让移民造福所有人：秘书长的报告",
        "fr": "Rendre les migrations bénéfiques à tous : rapport du Secrétaire général",
        "ru": "Обеспечение того, чтобы миграция приносила пользу всем: доклад "
        "Генерального секретаря",
        "es": "Conseguir que la migración funcione para todos: informe del Secretario General",
    },
    "Chair's summary of the preparatory stocktaking meeting": {
        "ar": "موجز الرئيس للاجتماع التحضيري للتقييم",
        "zh_hans": "评估筹备会议主席摘要",
        "fr": "Résumé du Président de la réunion préparatoire de bilan",
        "ru": "Резюме Председателя подготовительного совещания по подведению итогов",
        "es": "Resumen de la Presidencia de la reunión preparatoria de balance",
    },
    # "Zero draft": ar المسودة الأولية, fr avant-projet, ru первоначальный проект; zh OP 25.
    "Zero draft of the global compact": {
        "ar": "المسودة الأولية للاتفاق العالمي",
        "zh_hans": "全球契约预稿",
        "fr": "Avant-projet du pacte mondial",
        "ru": "Первоначальный проект глобального договора",
        "es": "Borrador cero del pacto mundial",
    },
    "Summary of the first multi-stakeholder hearing": {
        "ar": "موجز جلسة الاستماع الأولى لأصحاب المصلحة المتعددين",
        "zh_hans": "第一次多利益攸关方听证会摘要",
        "fr": "Résumé de la première audition multipartite",
        "ru": "Резюме первых слушаний с участием многих заинтересованных сторон",
        "es": "Resumen de la primera audiencia de múltiples interesados",
    },
    "Summary of the fourth multi-stakeholder hearing": {
        "ar": "موجز جلسة الاستماع الرابعة لأصحاب المصلحة المتعددين",
        "zh_hans": "第四次多利益攸关方听证会摘要",
        "fr": "Résumé de la quatrième audition multipartite",
        "ru": "Резюме четвертых слушаний с участием многих заинтересованных сторон",
        "es": "Resumen de la cuarta audiencia de múltiples interesados",
    },
    "Letter of the President of the General Assembly transmitting the issue brief and "
    "the moderators of the Vienna session": {
        "ar": "رسالة من رئيس الجمعية العامة يحيل بها موجز القضايا وأسماء مديري النقاش في "
        "جلسة فيينا",
        "zh_hans": "大会主席转递维也纳会议问题简报和主持人名单的信",
        "fr": "Lettre du Président de l'Assemblée générale transmettant la note de synthèse "
        "et les noms des modérateurs de la session de Vienne",
        "ru": "Письмо Председателя Генеральной Ассамблеи, препровождающее аналитическую "
        "записку и список модераторов венского совещания",
        "es": "Carta del Presidente de la Asamblea General por la que se transmiten la nota "
        "informativa y los moderadores de la sesión de Viena",
    },
    "Letter of the President of the General Assembly transmitting the co-facilitators' "
    "summary of the Vienna session": {
        "ar": "رسالة من رئيس الجمعية العامة يحيل بها موجز الميسرين المشاركين لجلسة فيينا",
        "zh_hans": "大会主席转递共同协调人维也纳会议摘要的信",
        "fr": "Lettre du Président de l'Assemblée générale transmettant le résumé des "
        "cofacilitateurs de la session de Vienne",
        "ru": "Письмо Председателя Генеральной Ассамблеи, препровождающее резюме "
        "сокоординаторов по итогам венского совещания",
        "es": "Carta del Presidente de la Asamblea General por la que se transmite el "
        "resumen de los cofacilitadores de la sesión de Viena",
    },
    "Letter of the President of the General Assembly transmitting the chair's summary of "
    "the stocktaking meeting": {
        "ar": "رسالة من رئيس الجمعية العامة يحيل بها موجز الرئيس لاجتماع التقييم",
        "zh_hans": "大会主席转递评估会议主席摘要的信",
        "fr": "Lettre du Président de l'Assemblée générale transmettant le résumé du "
        "Président de la réunion de bilan",
        "ru": "Письмо Председателя Генеральной Ассамблеи, препровождающее резюме "
        "Председателя совещания по подведению итогов",
        "es": "Carta del Presidente de la Asamblea General por la que se transmite el "
        "resumen de la Presidencia de la reunión de balance",
    },
}

# --- The demonstration drafts' titles (``phases.drafts.demo``) ---------------------------------

DRAFTS: Texts = {
    "Zero draft (demonstration text)": {
        "ar": "المسودة الأولية (نص للعرض التوضيحي)",
        "zh_hans": "预稿（演示文本）",
        "fr": "Avant-projet (texte de démonstration)",
        "ru": "Первоначальный проект (демонстрационный текст)",
        "es": "Borrador cero (texto de demostración)",
    },
    "Revision 1 (demonstration text)": {
        "ar": "التنقيح 1 (نص للعرض التوضيحي)",
        "zh_hans": "第一次修订稿（演示文本）",
        "fr": "Révision 1 (texte de démonstration)",
        "ru": "Пересмотренный вариант 1 (демонстрационный текст)",
        "es": "Revisión 1 (texto de demostración)",
    },
}

# --- The seeded meetings' and drafts' source notes -------------------------------------------
# Translated for this seed. A note is not a translated field (one text, as the secretariat
# writes it): the public pages look its translation up here (``source_note``), and show a
# note that is not the seed's in English, marked as such.

SOURCE_NOTES: Texts = {
    "Held just before the session opened; the exact day is not recorded here.": {
        "ar": "عُقد قبيل افتتاح الدورة مباشرة؛ واليوم المحدد غير مسجل هنا.",
        "zh_hans": "在会议开幕前举行；确切日期此处未记录。",
        "fr": "Tenu juste avant l’ouverture de la session ; le jour exact n’est pas consigné ici.",
        "ru": "Проведен непосредственно перед открытием сессии; точная дата здесь не указана.",
        "es": "Se celebró justo antes de la apertura de la sesión; el día exacto no consta aquí.",
    },
    "Hosted and paid for by Mexico (OP 23).": {
        "ar": "استضافتها المكسيك وتحملت تكاليفها (الفقرة 23 من المنطوق).",
        "zh_hans": "由墨西哥主办并承担费用（执行部分第23段）。",
        "fr": "Accueillie et financée par le Mexique (par. 23 du dispositif).",
        "ru": "Принимающая сторона, взявшая на себя расходы, — Мексика (пункт 23 "
        "постановляющей части).",
        "es": "Acogida y sufragada por México (párr. 23 de la parte dispositiva).",
    },
    "Trusteeship Council Chamber; opened by PGA Thomson.": {
        "ar": "قاعة مجلس الوصاية؛ افتتحها رئيس الجمعية العامة السيد تومسون.",
        "zh_hans": "托管理事会会议厅；由大会主席汤姆森宣布开幕。",
        "fr": "Salle du Conseil de tutelle ; ouverte par le Président de l’Assemblée "
        "générale, M. Thomson.",
        "ru": "Зал Совета по Опеке; слушание открыл Председатель Генеральной Ассамблеи г-н Томсон.",
        "es": "Salón del Consejo de Administración Fiduciaria; la inauguró el Presidente de la "
        "Asamblea General, Sr. Thomson.",
    },
    "Chaired by PGA Lajčák during his visit to Geneva (venue from the PGA's press release).": {
        "ar": "ترأسها رئيس الجمعية العامة السيد لايتشاك خلال زيارته إلى جنيف (المكان مأخوذ من "
        "البيان الصحفي لرئيس الجمعية العامة).",
        "zh_hans": "由大会主席莱恰克在访问日内瓦期间主持（会议地点依据大会主席的新闻稿）。",
        "fr": "Présidée par le Président de l’Assemblée générale, M. Lajčák, lors de sa "
        "visite à Genève (lieu indiqué dans le communiqué de presse du Président de "
        "l’Assemblée générale).",
        "ru": "Под председательством Председателя Генеральной Ассамблеи г-на Лайчака во время "
        "его визита в Женеву (место проведения указано в пресс-релизе Председателя "
        "Генеральной Ассамблеи).",
        "es": "Presidida por el Presidente de la Asamblea General, Sr. Lajčák, durante su "
        "visita a Ginebra (lugar según el comunicado de prensa del Presidente de la Asamblea "
        "General).",
    },
    "The third hearing; its date comes from the PGA's statement. Its length is not recorded: "
    "taken as half a day, so that the hearings total the four days of OP 30.": {
        "ar": "جلسة الاستماع الثالثة؛ وتاريخها مأخوذ من بيان رئيس الجمعية العامة. ومدتها غير "
        "مسجلة: فقد احتُسبت نصف يوم، ليبلغ مجموع جلسات الاستماع الأيام الأربعة المنصوص عليها "
        "في الفقرة 30 من المنطوق.",
        "zh_hans": "第三次听证会；日期依据大会主席的发言。会期未记录：按半天计算，使各次听证会"
        "合计为执行部分第30段规定的四天。",
        "fr": "La troisième audition ; sa date est tirée de la déclaration du Président de "
        "l’Assemblée générale. Sa durée n’est pas consignée : elle est comptée "
        "pour une demi-journée, afin que les auditions totalisent les quatre jours prévus au "
        "paragraphe 30 du dispositif.",
        "ru": "Третье слушание; его дата взята из заявления Председателя Генеральной "
        "Ассамблеи. Его продолжительность не указана: оно учтено как половина дня, чтобы "
        "слушания в сумме составили четыре дня, предусмотренные пунктом 30 постановляющей "
        "части.",
        "es": "La tercera audiencia; su fecha procede de la declaración del Presidente de la "
        "Asamblea General. Su duración no consta: se cuenta como media jornada, para que las "
        "audiencias sumen los cuatro días del párrafo 30 de la parte dispositiva.",
    },
    "Held between the days of the first round.": {
        "ar": "عُقدت بين أيام الجولة الأولى.",
        "zh_hans": "在第一轮谈判的会期之间举行。",
        "fr": "Tenue entre les journées de la première série de négociations.",
        "ru": "Проведено в перерыве между днями первого раунда.",
        "es": "Se celebró entre las jornadas de la primera ronda.",
    },
    "Half a day: the fifth and final hearing.": {
        "ar": "نصف يوم: جلسة الاستماع الخامسة والأخيرة.",
        "zh_hans": "半天：第五次也是最后一次听证会。",
        "fr": "Une demi-journée : la cinquième et dernière audition.",
        "ru": "Половина дня: пятое и последнее слушание.",
        "es": "Media jornada: la quinta y última audiencia.",
    },
    "OP 1: at Headquarters unless otherwise agreed; resolution 72/244 of 24 December 2017 "
    "agreed on Morocco. 164 States adopted the compact; the General Assembly endorsed it on "
    "19 December 2018 by 152 votes to 5, with 12 abstentions.": {
        "ar": "الفقرة 1 من المنطوق: في المقر ما لم يُتفق على خلاف ذلك؛ وقد اتُّفق في القرار "
        "72/244 المؤرخ 24 كانون الأول/ديسمبر 2017 على المغرب. واعتمدت 164 دولة الاتفاق؛ "
        "وأيدته الجمعية العامة في 19 كانون الأول/ديسمبر 2018 بأغلبية 152 صوتًا مقابل 5 أصوات "
        "وامتناع 12 عضوًا عن التصويت.",
        "zh_hans": "执行部分第1段：除另有商定外，在总部举行；2017年12月24日第72/244号决议商定"
        "在摩洛哥举行。164个国家通过了《全球契约》；大会于2018年12月19日以152票赞成、5票反对、"
        "12票弃权核可了《全球契约》。",
        "fr": "Paragraphe 1 du dispositif : au Siège, sauf décision contraire ; la "
        "résolution 72/244 du 24 décembre 2017 a retenu le Maroc. 164 États ont "
        "adopté le Pacte ; l’Assemblée générale l’a approuvé le 19 décembre "
        "2018 par 152 voix contre 5, avec 12 abstentions.",
        "ru": "Пункт 1 постановляющей части: в Центральных учреждениях, если не будет "
        "согласовано иное; в резолюции 72/244 от 24 декабря 2017 года местом проведения "
        "было согласовано Марокко. 164 государства приняли Договор; Генеральная Ассамблея "
        "одобрила его 19 декабря 2018 года 152 голосами против 5 при 12 воздержавшихся.",
        "es": "Párrafo 1 de la parte dispositiva: en la Sede, salvo que se acuerde otra cosa; "
        "la resolución 72/244, de 24 de diciembre de 2017, acordó que se celebrara en "
        "Marruecos. 164 Estados aprobaron el Pacto; la Asamblea General lo hizo suyo el 19 de "
        "diciembre de 2018 por 152 votos contra 5 y 12 abstenciones.",
    },
    # phases.drafts.demo.SOURCE_NOTE
    "A short text written for this demonstration, not the real negotiation draft. Only the "
    "date (and the stage) are those of the real process; the co-facilitators held the pen.": {
        "ar": "نص قصير كُتب لهذا العرض التوضيحي، وليس مسودة التفاوض الحقيقية. التاريخ "
        "(والمرحلة) وحدهما من العملية الحقيقية؛ وقد تولى الميسران المشاركان الصياغة.",
        "zh_hans": "为本演示编写的简短文本，并非真实的谈判草案。只有日期（和阶段）与真实进程"
        "一致；由共同协调人执笔。",
        "fr": "Texte court rédigé pour cette démonstration, et non le véritable projet de "
        "négociation. Seules la date (et l’étape) sont celles du processus réel ; "
        "les cofacilitateurs tenaient la plume.",
        "ru": "Короткий текст, написанный для этой демонстрации, а не подлинный проект для "
        "переговоров. Только дата (и этап) соответствуют реальному процессу; текст готовили "
        "сокоординаторы.",
        "es": "Un texto breve redactado para esta demostración, no el verdadero borrador de "
        "negociación. Solo la fecha (y la etapa) son las del proceso real; los "
        "cofacilitadores llevaron la pluma.",
    },
}


def source_note(english: str, language: str) -> str | None:
    """The seed's translation of a source note into ``language`` (a language code,
    ``zh-hans`` or ``zh_hans``); None where the note is not the seed's."""
    return SOURCE_NOTES.get(english, {}).get(language.lower().replace("-", "_"))


TEXTS: Texts = {
    **PROCESS,
    **PHASES,
    **VENUES,
    **THEMES,
    **SESSION_TITLES,
    **PANELS,
    **MEETINGS,
    **DELIVERABLES,
    **DRAFTS,
}

# --- Numbered titles ------------------------------------------------------------------------

# Ordinal words, by grammatical form, for 1 to 10. The patterns below name the form they
# need: French and Spanish by gender, Russian by gender and case, Arabic feminine (جلسة,
# جولة), Chinese the numeral of 第…次 / 第…轮.
_FR_ORDINALS = (
    "premier",
    "deuxième",
    "troisième",
    "quatrième",
    "cinquième",
    "sixième",
    "septième",
    "huitième",
    "neuvième",
    "dixième",
)
ORDINALS: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": {
        "f": (
            "الأولى",
            "الثانية",
            "الثالثة",
            "الرابعة",
            "الخامسة",
            "السادسة",
            "السابعة",
            "الثامنة",
            "التاسعة",
            "العاشرة",
        ),
    },
    "zh_hans": {"num": ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")},
    # Only the first differs by gender in French.
    "fr": {"m": _FR_ORDINALS, "f": ("première", *_FR_ORDINALS[1:])},
    "ru": {
        # неофициальное тематическое совещание (neuter, nominative)
        "neut": (
            "первое",
            "второе",
            "третье",
            "четвертое",
            "пятое",
            "шестое",
            "седьмое",
            "восьмое",
            "девятое",
            "десятое",
        ),
        # ... совещания (neuter, genitive)
        "neut_gen": (
            "первого",
            "второго",
            "третьего",
            "четвертого",
            "пятого",
            "шестого",
            "седьмого",
            "восьмого",
            "девятого",
            "десятого",
        ),
        # перед ... совещанием (neuter, instrumental)
        "neut_ins": (
            "первым",
            "вторым",
            "третьим",
            "четвертым",
            "пятым",
            "шестым",
            "седьмым",
            "восьмым",
            "девятым",
            "десятым",
        ),
        # раунд (masculine, nominative)
        "m": (
            "первый",
            "второй",
            "третий",
            "четвертый",
            "пятый",
            "шестой",
            "седьмой",
            "восьмой",
            "девятый",
            "десятый",
        ),
        # слушания (plural, nominative)
        "pl": (
            "первые",
            "вторые",
            "третьи",
            "четвертые",
            "пятые",
            "шестые",
            "седьмые",
            "восьмые",
            "девятые",
            "десятые",
        ),
    },
    "es": {
        "f": (
            "primera",
            "segunda",
            "tercera",
            "cuarta",
            "quinta",
            "sexta",
            "séptima",
            "octava",
            "novena",
            "décima",
        ),
    },
}

# The English patterns of ``phases.seed._ordinal_title`` and of the per-session
# deliverables, with ``{n}`` the number; each language's pattern names the ordinal form
# it needs (``{f}``, ``{neut_gen}``, ...). The first letter of the result is capitalised.
NUMBERED: Texts = {
    # zh: OP 15's 非正式专题会议.
    "Informal thematic session {n}": {
        "ar": "الجلسة المواضيعية غير الرسمية {f}",
        "zh_hans": "第{num}次非正式专题会议",
        "fr": "{f} session thématique informelle",
        "ru": "{neut} неофициальное тематическое совещание",
        "es": "{f} sesión temática oficiosa",
    },
    # zh: OP 8's 非正式对话.
    "Informal dialogue with stakeholders before session {n}": {
        "ar": "حوار غير رسمي مع أصحاب المصلحة قبل الجلسة {f}",
        "zh_hans": "第{num}次非正式专题会议前与利益攸关方的非正式对话",
        "fr": "Dialogue informel avec les parties prenantes avant la {f} session",
        "ru": "Неофициальный диалог с заинтересованными сторонами перед {neut_ins} совещанием",
        "es": "Diálogo oficioso con las partes interesadas antes de la {f} sesión",
    },
    "Intergovernmental negotiations, round {n}": {
        "ar": "المفاوضات الحكومية الدولية، الجولة {f}",
        "zh_hans": "第{num}轮政府间谈判",
        "fr": "Négociations intergouvernementales, {m} cycle",
        "ru": "Межправительственные переговоры, {m} раунд",
        "es": "Negociaciones intergubernamentales, {f} ronda",
    },
    # zh: OP 30's 多利益攸关方听证会.
    "Multi-stakeholder hearing {n}": {
        "ar": "جلسة الاستماع {f} لأصحاب المصلحة المتعددين",
        "zh_hans": "第{num}次多利益攸关方听证会",
        "fr": "{f} audition multipartite",
        "ru": "{pl} слушания с участием многих заинтересованных сторон",
        "es": "{f} audiencia de múltiples interesados",
    },
    # OP 18; zh 问题简报.
    "Issue brief for informal thematic session {n}": {
        "ar": "موجز القضايا للجلسة المواضيعية غير الرسمية {f}",
        "zh_hans": "第{num}次非正式专题会议问题简报",
        "fr": "Note de synthèse pour la {f} session thématique informelle",
        "ru": "Аналитическая записка для {neut_gen} неофициального тематического совещания",
        "es": "Nota informativa para la {f} sesión temática oficiosa",
    },
    # OP 21; zh 共同协调人, 摘要.
    "Co-facilitators' summary of informal thematic session {n}": {
        "ar": "موجز الميسرين المشاركين للجلسة المواضيعية غير الرسمية {f}",
        "zh_hans": "共同协调人关于第{num}次非正式专题会议的摘要",
        "fr": "Résumé des cofacilitateurs de la {f} session thématique informelle",
        "ru": "Резюме сокоординаторов по итогам {neut_gen} неофициального тематического совещания",
        "es": "Resumen de los cofacilitadores de la {f} sesión temática oficiosa",
    },
}

# "<numbered title>: <session title>", as ``_ordinal_title`` joins them.
JOINERS = {"ar": ": ", "zh_hans": "：", "fr": " : ", "ru": ": ", "es": ": "}


@cache
def _numbered_patterns() -> list[tuple[re.Pattern[str], dict[str, str]]]:
    patterns = []
    for english, by_language in NUMBERED.items():
        regex = re.escape(english).replace(re.escape("{n}"), r"(?P<n>\d+)")
        patterns.append((re.compile(rf"{regex}(?:: (?P<title>.+))?"), by_language))
    return patterns


def _numbered(english: str) -> dict[str, str]:
    for pattern, by_language in _numbered_patterns():
        match = pattern.fullmatch(english)
        if match is None:
            continue
        number = int(match["n"])
        title = match["title"]
        result = {}
        for language, template in by_language.items():
            forms = ORDINALS[language]
            if not 1 <= number <= min(len(words) for words in forms.values()):
                continue
            words = {form: values[number - 1] for form, values in forms.items()}
            text = template.format(**words)
            text = text[:1].upper() + text[1:]
            if title is not None:
                translated = TEXTS.get(title, {}).get(language)
                if not translated:
                    continue
                text = f"{text}{JOINERS[language]}{translated}"
            result[language] = text
        return result
    return {}


def translations(english: str) -> dict[str, str]:
    """The translations of a text the seed writes, by column suffix (``ar``, ``zh_hans``,
    ``fr``, ``ru``, ``es``); empty when the text is not one of the seed's (for instance
    after the secretariat has changed the English)."""
    if not english:
        return {}
    if english in TEXTS:
        return dict(TEXTS[english])
    return _numbered(english)
