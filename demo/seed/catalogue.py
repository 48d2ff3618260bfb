"""What the demo world is made of: real countries by IOM region, HQ departments, the indicators
(with their reference sheets and how their demo values behave), people's names and texts.

Plain data, no database access; `demo.seed.seed` turns it into rows.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Offices ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountrySpec:
    name: str  # the United Nations short name
    iso: str  # ISO 3166-1 alpha-2
    region: str  # Region.code from the strategy data file
    size: str  # "S", "M" or "L": how large IOM's operation there is (scales demo values)


# Real countries, each under the IOM regional office that covers it.
COUNTRIES: list[CountrySpec] = [
    # Bangkok — Asia and the Pacific
    CountrySpec("Afghanistan", "AF", "bangkok", "L"),
    CountrySpec("Bangladesh", "BD", "bangkok", "L"),
    CountrySpec("Cambodia", "KH", "bangkok", "S"),
    CountrySpec("Fiji", "FJ", "bangkok", "S"),
    CountrySpec("Indonesia", "ID", "bangkok", "M"),
    CountrySpec("Myanmar", "MM", "bangkok", "M"),
    CountrySpec("Nepal", "NP", "bangkok", "M"),
    CountrySpec("Pakistan", "PK", "bangkok", "M"),
    CountrySpec("Philippines", "PH", "bangkok", "M"),
    CountrySpec("Sri Lanka", "LK", "bangkok", "S"),
    CountrySpec("Thailand", "TH", "bangkok", "M"),
    CountrySpec("Viet Nam", "VN", "bangkok", "S"),
    # Brussels — European Economic Area
    CountrySpec("Belgium", "BE", "brussels", "S"),
    CountrySpec("Germany", "DE", "brussels", "M"),
    CountrySpec("Greece", "GR", "brussels", "M"),
    CountrySpec("Italy", "IT", "brussels", "M"),
    CountrySpec("Malta", "MT", "brussels", "S"),
    CountrySpec("Poland", "PL", "brussels", "S"),
    CountrySpec("Portugal", "PT", "brussels", "S"),
    CountrySpec("Spain", "ES", "brussels", "M"),
    # Buenos Aires — South America
    CountrySpec("Argentina", "AR", "buenos-aires", "S"),
    CountrySpec("Bolivia (Plurinational State of)", "BO", "buenos-aires", "S"),
    CountrySpec("Brazil", "BR", "buenos-aires", "M"),
    CountrySpec("Chile", "CL", "buenos-aires", "S"),
    CountrySpec("Colombia", "CO", "buenos-aires", "L"),
    CountrySpec("Ecuador", "EC", "buenos-aires", "M"),
    CountrySpec("Paraguay", "PY", "buenos-aires", "S"),
    CountrySpec("Peru", "PE", "buenos-aires", "M"),
    CountrySpec("Venezuela (Bolivarian Republic of)", "VE", "buenos-aires", "M"),
    # Cairo — Middle East and North Africa
    CountrySpec("Egypt", "EG", "cairo", "M"),
    CountrySpec("Iraq", "IQ", "cairo", "L"),
    CountrySpec("Jordan", "JO", "cairo", "M"),
    CountrySpec("Lebanon", "LB", "cairo", "M"),
    CountrySpec("Libya", "LY", "cairo", "M"),
    CountrySpec("Morocco", "MA", "cairo", "M"),
    CountrySpec("Sudan", "SD", "cairo", "L"),
    CountrySpec("Tunisia", "TN", "cairo", "S"),
    CountrySpec("Yemen", "YE", "cairo", "L"),
    # Dakar — West and Central Africa
    CountrySpec("Burkina Faso", "BF", "dakar", "M"),
    CountrySpec("Cameroon", "CM", "dakar", "M"),
    CountrySpec("Chad", "TD", "dakar", "M"),
    CountrySpec("Côte d'Ivoire", "CI", "dakar", "S"),
    CountrySpec("Gambia", "GM", "dakar", "S"),
    CountrySpec("Ghana", "GH", "dakar", "S"),
    CountrySpec("Guinea", "GN", "dakar", "S"),
    CountrySpec("Mali", "ML", "dakar", "M"),
    CountrySpec("Niger", "NE", "dakar", "L"),
    CountrySpec("Nigeria", "NG", "dakar", "L"),
    CountrySpec("Senegal", "SN", "dakar", "M"),
    # Nairobi — East and Horn of Africa
    CountrySpec("Burundi", "BI", "nairobi", "S"),
    CountrySpec("Djibouti", "DJ", "nairobi", "S"),
    CountrySpec("Ethiopia", "ET", "nairobi", "L"),
    CountrySpec("Kenya", "KE", "nairobi", "L"),
    CountrySpec("Rwanda", "RW", "nairobi", "S"),
    CountrySpec("Somalia", "SO", "nairobi", "L"),
    CountrySpec("South Sudan", "SS", "nairobi", "L"),
    CountrySpec("Uganda", "UG", "nairobi", "M"),
    CountrySpec("United Republic of Tanzania", "TZ", "nairobi", "M"),
    # Pretoria — Southern Africa
    CountrySpec("Angola", "AO", "pretoria", "S"),
    CountrySpec("Democratic Republic of the Congo", "CD", "pretoria", "L"),
    CountrySpec("Lesotho", "LS", "pretoria", "S"),
    CountrySpec("Madagascar", "MG", "pretoria", "S"),
    CountrySpec("Malawi", "MW", "pretoria", "S"),
    CountrySpec("Mozambique", "MZ", "pretoria", "M"),
    CountrySpec("South Africa", "ZA", "pretoria", "M"),
    CountrySpec("Zambia", "ZM", "pretoria", "S"),
    CountrySpec("Zimbabwe", "ZW", "pretoria", "M"),
    # San José — Central America, North America and the Caribbean
    CountrySpec("Costa Rica", "CR", "san-jose", "S"),
    CountrySpec("Dominican Republic", "DO", "san-jose", "S"),
    CountrySpec("El Salvador", "SV", "san-jose", "M"),
    CountrySpec("Guatemala", "GT", "san-jose", "M"),
    CountrySpec("Haiti", "HT", "san-jose", "L"),
    CountrySpec("Honduras", "HN", "san-jose", "M"),
    CountrySpec("Jamaica", "JM", "san-jose", "S"),
    CountrySpec("Mexico", "MX", "san-jose", "M"),
    CountrySpec("Panama", "PA", "san-jose", "S"),
    # Vienna — South-Eastern Europe, Eastern Europe and Central Asia
    CountrySpec("Albania", "AL", "vienna", "S"),
    CountrySpec("Bosnia and Herzegovina", "BA", "vienna", "M"),
    CountrySpec("Georgia", "GE", "vienna", "S"),
    CountrySpec("Kazakhstan", "KZ", "vienna", "S"),
    CountrySpec("Kyrgyzstan", "KG", "vienna", "S"),
    CountrySpec("Republic of Moldova", "MD", "vienna", "S"),
    CountrySpec("Serbia", "RS", "vienna", "S"),
    CountrySpec("Tajikistan", "TJ", "vienna", "S"),
    CountrySpec("Türkiye", "TR", "vienna", "L"),
    CountrySpec("Ukraine", "UA", "vienna", "L"),
]

# The country office every demo includes: the `field` login belongs to it.
ANCHOR_COUNTRY = "KE"

SIZE_FACTOR = {"S": 0.45, "M": 1.0, "L": 2.2}


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    focal_point: str  # username of the department's reporting focal point


# Headquarters departments report on the institutional outputs.
HQ_DEPARTMENTS: list[DepartmentSpec] = [
    DepartmentSpec(
        "hq-icp", "Department of International Cooperation and Partnerships", "field.icp"
    ),
    DepartmentSpec("hq-dmm", "Department of Migration Management", "field.dmm"),
    DepartmentSpec("hq-doe", "Department of Operations and Emergencies", "field.doe"),
    DepartmentSpec("hq-pol", "Policy Hub (Office of the Director General)", "field.pol"),
]


def country_office_code(iso: str) -> str:
    return f"co-{iso.lower()}"


# --- Indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSpec:
    """One demo indicator: its reference sheet, and how its demo values behave.

    `base` and `goal` depend on the measure:
    - number, cumulative: `base` is a medium office's amount per quarter, `goal` the yearly growth;
    - number, not cumulative (a level): `base` is a medium office's level at the baseline, `goal`
      the chance per quarter that the level rises by one;
    - percentage: `base` is the baseline and `goal` the 2023 target, in percent; `sample` is a
      medium office's denominator;
    - yes_no: `base` and `goal` are the shares of offices answering yes at the baseline and by 2023
      (baseline and targets are stored in percent: the roll-ups compare them with that share);
    - ordinal: `base` and `goal` are the baseline level and the 2023 target level.
    """

    code: str
    result: str  # "a.i" (outcome a, deliverable i) or "o.b" (institutional output b)
    name: str
    definition: str
    measure: str
    unit: str = ""
    direction: str = "increase"
    cumulative: bool = False
    disaggregations: tuple[str, ...] = ()
    ordinal_levels: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    gcm_objectives: tuple[int, ...] = ()
    method_of_calculation: str = ""
    data_source: str = ""
    collection_method: str = ""
    responsible_unit: str = ""
    base: float = 0
    goal: float = 0
    sample: int = 0
    covid_dip: bool = False  # activities fell in 2020-Q2 and Q3
    assign: float = 0.0  # chance that a country office reports on it
    departments: tuple[str, ...] = ()  # HQ departments that report on it
    texts: tuple[str, ...] = ()  # qualitative: what offices write


ORDINAL_NOTE = (
    " Targets are the level offices should reach; progress counts the offices at or above it."
)
YES_NO_NOTE = " Baseline and targets are the share of reporting offices answering yes (%)."

INDICATORS: list[IndicatorSpec] = [
    # (a)(i) Drivers and structural factors that compel people to move
    IndicatorSpec(
        code="A.i.1",
        result="a.i",
        name=(
            "Number of people in communities at risk of forced migration who benefited from "
            "IOM-supported livelihood, resilience or community stabilization interventions"
        ),
        definition=(
            "People in communities of origin affected by the adverse drivers of migration "
            "(conflict, disasters, environmental degradation, lack of livelihoods) who received "
            "at least one livelihood, resilience or community stabilization service."
        ),
        measure="number",
        unit="people",
        cumulative=True,
        disaggregations=("sex", "age", "population"),
        markers=("inequalities", "environment"),
        priorities=("resilience",),
        sdg_targets=("10.2", "13.1"),
        gcm_objectives=(2,),
        method_of_calculation=(
            "Sum of unique individuals who received at least one service in the quarter; a person "
            "is counted once per quarter whatever the number of services."
        ),
        data_source="Project beneficiary registers, verified against post-distribution monitoring.",
        collection_method="Beneficiary registration (project monitoring)",
        responsible_unit="Transition and Recovery Division",
        base=900,
        goal=1.08,
        covid_dip=True,
        assign=0.55,
    ),
    IndicatorSpec(
        code="A.i.2",
        result="a.i",
        name=(
            "Number of disaster risk reduction or climate change adaptation plans that address "
            "the drivers of forced migration, adopted with IOM support"
        ),
        definition=(
            "National or local plans under the Sendai Framework or the Paris Agreement that "
            "explicitly address human mobility (displacement, migration or planned relocation)."
        ),
        measure="number",
        unit="plans",
        cumulative=True,
        markers=("environment",),
        priorities=("resilience", "governance"),
        sdg_targets=("11.5", "13.1"),
        gcm_objectives=(2,),
        method_of_calculation="Count of plans formally adopted by the competent authority.",
        data_source="Adopted plans; official gazettes.",
        collection_method="Desk review",
        responsible_unit="Migration, Environment, Climate Change and Risk Reduction Division",
        base=0.45,
        goal=1.1,
        assign=0.35,
    ),
    IndicatorSpec(
        code="A.i.3",
        result="a.i",
        name=(
            "Percentage of surveyed households in targeted communities that report they could "
            "make a living where they live if they chose to stay"
        ),
        definition=(
            "Whether migration is a choice rather than a necessity, as perceived by households "
            "in communities targeted by IOM interventions."
        ),
        measure="percentage",
        unit="% of households",
        disaggregations=("sex",),
        markers=("inequalities",),
        priorities=("resilience", "mobility"),
        sdg_targets=("10.7",),
        gcm_objectives=(2,),
        method_of_calculation=(
            "Households answering yes ÷ households surveyed × 100; the numerator is disaggregated "
            "by the sex of the head of household."
        ),
        data_source="Community perception survey (standard IOM household module).",
        collection_method="Household survey",
        responsible_unit="Migration and Sustainable Development Unit",
        base=38,
        goal=55,
        sample=240,
        assign=0.35,
    ),
    # (a)(ii) Pathways for safe and regular migration
    IndicatorSpec(
        code="A.ii.1",
        result="a.ii",
        name=(
            "Number of migrants who moved through regular pathways with IOM support (labour "
            "mobility, family reunification, resettlement and humanitarian admission)"
        ),
        definition="Departures under a regular migration pathway that IOM facilitated.",
        measure="number",
        unit="people",
        cumulative=True,
        disaggregations=("sex", "age"),
        markers=("gender",),
        priorities=("mobility",),
        sdg_targets=("10.7",),
        gcm_objectives=(5,),
        method_of_calculation="Count of individuals whose departure date falls in the quarter.",
        data_source="IOM movement management system (departure manifests).",
        collection_method="Administrative records",
        responsible_unit="Resettlement and Movement Management Division",
        base=420,
        goal=1.1,
        covid_dip=True,
        assign=0.5,
    ),
    IndicatorSpec(
        code="A.ii.2",
        result="a.ii",
        name="Average cost of remittances in IOM-supported corridors (%)",
        definition=(
            "Fees and exchange-rate margins paid to send money home, as a share of the amount "
            "sent, in the remittance corridors where IOM works with providers and regulators."
        ),
        measure="percentage",
        unit="% of amount sent",
        direction="decrease",
        markers=("inequalities",),
        priorities=("mobility",),
        sdg_targets=("10.c",),
        gcm_objectives=(20,),
        method_of_calculation=(
            "Total fees and margins on the sampled transfers (numerator, USD) ÷ total amount "
            "sent (denominator, USD) × 100: a weighted average cost."
        ),
        data_source="Quarterly remittance price survey of the corridor's main providers.",
        collection_method="Price survey (mystery shopping)",
        responsible_unit="Labour Mobility and Social Inclusion Division",
        base=7.1,
        goal=5.0,
        sample=20000,
        assign=0.35,
    ),
    IndicatorSpec(
        code="A.ii.3",
        result="a.ii",
        name="Percentage of surveyed migrant workers who paid recruitment fees or related costs",
        definition=(
            "Migrant workers in IOM-supported labour corridors who paid any recruitment fee or "
            "related cost, contrary to the employer-pays principle."
        ),
        measure="percentage",
        unit="% of migrant workers",
        direction="decrease",
        disaggregations=("sex",),
        markers=("gender", "inequalities"),
        priorities=("mobility",),
        sdg_targets=("8.8", "10.7"),
        gcm_objectives=(6,),
        method_of_calculation=(
            "Workers reporting any fee or cost ÷ workers surveyed × 100 (as SDG indicator 10.7.1)."
        ),
        data_source="Migrant worker survey in supported corridors (IRIS ethical recruitment).",
        collection_method="Survey",
        responsible_unit="Labour Mobility and Social Inclusion Division",
        base=58,
        goal=35,
        sample=150,
        assign=0.3,
    ),
    IndicatorSpec(
        code="A.ii.4",
        result="a.ii",
        name=(
            "Country has a bilateral labour migration agreement in force that includes fair and "
            "ethical recruitment provisions"
        ),
        definition=(
            "At least one bilateral labour migration agreement or memorandum of understanding "
            "in force at the end of the quarter protects migrant workers' rights in recruitment."
        ),
        measure="yes_no",
        priorities=("mobility", "governance"),
        sdg_targets=("8.8", "10.7"),
        gcm_objectives=(5, 6),
        method_of_calculation="Yes when such an agreement is in force at the end of the quarter."
        + YES_NO_NOTE,
        data_source="Text of the agreement; official journal.",
        collection_method="Desk review",
        responsible_unit="Labour Mobility and Social Inclusion Division",
        base=0.3,
        goal=0.65,
        assign=0.3,
    ),
    # (b)(i) Rights of migrants and displaced populations
    IndicatorSpec(
        code="B.i.1",
        result="b.i",
        name=(
            "Number of victims of trafficking and vulnerable migrants who received protection "
            "and direct assistance"
        ),
        definition=(
            "Shelter, medical, psychosocial, legal, return or reintegration assistance given to "
            "victims of trafficking, exploitation and abuse and to other vulnerable migrants."
        ),
        measure="number",
        unit="people",
        cumulative=True,
        disaggregations=("sex", "age", "population"),
        markers=("gender", "inequalities"),
        priorities=("resilience",),
        sdg_targets=("5.2", "8.7", "16.2"),
        gcm_objectives=(7, 10),
        method_of_calculation="Unique individuals assisted in the quarter.",
        data_source="IOM case management records.",
        collection_method="Case management records",
        responsible_unit="Migrant Protection and Assistance Division",
        base=150,
        goal=1.06,
        assign=0.6,
    ),
    IndicatorSpec(
        code="B.i.2",
        result="b.i",
        name="Percentage of assisted migrants who hold proof of legal identity at case closure",
        definition=(
            "Assisted migrants whose identity or travel documents are valid when the case closes."
        ),
        measure="percentage",
        unit="% of closed cases",
        disaggregations=("sex",),
        markers=("inequalities",),
        priorities=("governance",),
        sdg_targets=("16.9",),
        gcm_objectives=(4,),
        method_of_calculation=(
            "Cases closed in the quarter with valid documents ÷ cases closed in the quarter × 100."
        ),
        data_source="IOM case management records.",
        collection_method="Case management records",
        responsible_unit="Immigration and Border Management Division",
        base=61,
        goal=80,
        sample=120,
        assign=0.3,
    ),
    IndicatorSpec(
        code="B.i.3",
        result="b.i",
        name=(
            "Number of migrants referred to alternatives to immigration detention with IOM support"
        ),
        definition=(
            "Migrants, children first, released from or kept out of immigration detention "
            "through a community-based alternative that IOM helped set up or run."
        ),
        measure="number",
        unit="people",
        cumulative=True,
        disaggregations=("sex", "age"),
        markers=("inequalities",),
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(13,),
        method_of_calculation="Count of referrals accepted in the quarter.",
        data_source="Referral records shared by the immigration authority.",
        collection_method="Administrative records",
        responsible_unit="Migrant Protection and Assistance Division",
        base=25,
        goal=1.12,
        assign=0.2,
    ),
    IndicatorSpec(
        code="B.i.4",
        result="b.i",
        name="Number of migrant resource centres operating with IOM support",
        definition=(
            "Centres giving migrants accurate information and referral to services at all "
            "stages of migration, open at the end of the quarter."
        ),
        measure="number",
        unit="centres",
        cumulative=False,
        priorities=("mobility",),
        sdg_targets=("10.7",),
        gcm_objectives=(3, 15),
        method_of_calculation="Count of centres open on the last day of the quarter.",
        data_source="Centre activity reports.",
        collection_method="Administrative records",
        responsible_unit="Migrant Protection and Assistance Division",
        base=1.2,
        goal=0.08,
        assign=0.3,
    ),
    # (b)(ii) Durable solutions for displaced populations and host communities
    IndicatorSpec(
        code="B.ii.1",
        result="b.ii",
        name=(
            "Number of internally displaced persons, refugees and returnees who achieved a "
            "durable solution with IOM support"
        ),
        definition=(
            "Displaced people who, after IOM support, meet the criteria of the IASC Framework on "
            "Durable Solutions for Internally Displaced Persons."
        ),
        measure="number",
        unit="people",
        cumulative=True,
        disaggregations=("sex", "population"),
        markers=("inequalities",),
        priorities=("resilience",),
        sdg_targets=("10.2", "11.5"),
        gcm_objectives=(21,),
        method_of_calculation="Individuals assessed as meeting the criteria in the quarter.",
        data_source="Durable solutions assessments; Displacement Tracking Matrix surveys.",
        collection_method="Assessment",
        responsible_unit="Transition and Recovery Division",
        base=300,
        goal=1.07,
        assign=0.45,
    ),
    IndicatorSpec(
        code="B.ii.2",
        result="b.ii",
        name=(
            "Percentage of returnees with a reintegration sustainability score of 0.5 or more "
            "twelve months after return"
        ),
        definition=(
            "Returnees whose economic, social and psychosocial reintegration is sustainable, as "
            "measured by the IOM Reintegration Sustainability Survey."
        ),
        measure="percentage",
        unit="% of returnees surveyed",
        disaggregations=("sex",),
        priorities=("resilience", "mobility"),
        sdg_targets=("10.7",),
        gcm_objectives=(21,),
        method_of_calculation=(
            "Returnees scoring 0.5 or more ÷ returnees surveyed 12 months after return × 100."
        ),
        data_source="Reintegration Sustainability Survey.",
        collection_method="Survey",
        responsible_unit="Migrant Protection and Assistance Division",
        base=48,
        goal=65,
        sample=60,
        assign=0.35,
    ),
    IndicatorSpec(
        code="B.ii.3",
        result="b.ii",
        name=(
            "Level of participation of displacement-affected communities in durable "
            "solutions planning"
        ),
        definition=(
            "How far displaced people and host communities take part in the planning of "
            "durable solutions in the areas where IOM works."
        ),
        measure="ordinal",
        ordinal_levels=(
            "No participation",
            "Informed",
            "Consulted",
            "Involved in decisions",
            "Co-leading implementation",
        ),
        markers=("inequalities", "gender"),
        priorities=("resilience", "governance"),
        sdg_targets=("10.2",),
        gcm_objectives=(16,),
        method_of_calculation=(
            "Level reached at the end of the quarter, assessed against the rubric." + ORDINAL_NOTE
        ),
        data_source="Focus group discussions; planning meeting records.",
        collection_method="Qualitative assessment against a rubric",
        responsible_unit="Transition and Recovery Division",
        base=2,
        goal=4,
        assign=0.3,
    ),
    # (b)(iii) Migrants' economic and social capital
    IndicatorSpec(
        code="B.iii.1",
        result="b.iii",
        name=(
            "Number of diaspora members engaged in development initiatives (skills transfer, "
            "investment, philanthropy) with IOM support"
        ),
        definition="Diaspora members who took part in an IOM-supported development initiative.",
        measure="number",
        unit="people",
        cumulative=True,
        disaggregations=("sex",),
        priorities=("mobility",),
        sdg_targets=("17.3",),
        gcm_objectives=(19,),
        method_of_calculation="Unique diaspora members engaged in the quarter.",
        data_source="Diaspora engagement platform records.",
        collection_method="Administrative records",
        responsible_unit="Labour Mobility and Social Inclusion Division",
        base=45,
        goal=1.12,
        covid_dip=True,
        assign=0.3,
    ),
    IndicatorSpec(
        code="B.iii.2",
        result="b.iii",
        name="Amount of diaspora and remittance investment mobilized for local development (USD)",
        definition=(
            "Investment by diaspora members and remittance-receiving households channelled "
            "into local development through IOM-supported schemes."
        ),
        measure="number",
        unit="USD",
        cumulative=True,
        priorities=("mobility",),
        sdg_targets=("17.3", "10.c"),
        gcm_objectives=(19, 20),
        method_of_calculation="Sum of investments disbursed in the quarter, converted to USD.",
        data_source="Scheme disbursement records, certified by the partner financial institution.",
        collection_method="Administrative records",
        responsible_unit="Labour Mobility and Social Inclusion Division",
        base=85000,
        goal=1.1,
        assign=0.2,
    ),
    IndicatorSpec(
        code="B.iii.3",
        result="b.iii",
        name=(
            "Percentage of migrants and returnees supported with skills recognition whose "
            "qualifications were formally recognized"
        ),
        definition="Formal recognition of skills, qualifications and competences acquired abroad.",
        measure="percentage",
        unit="% of people supported",
        disaggregations=("sex",),
        markers=("gender",),
        priorities=("mobility",),
        sdg_targets=("8.5",),
        gcm_objectives=(18,),
        method_of_calculation=(
            "People whose qualifications were recognized ÷ people supported whose process ended "
            "in the quarter × 100."
        ),
        data_source="Records of the national qualifications authority.",
        collection_method="Administrative records",
        responsible_unit="Labour Mobility and Social Inclusion Division",
        base=34,
        goal=50,
        sample=80,
        assign=0.25,
    ),
    # (c)(i) Institutions and systems for good migration governance
    IndicatorSpec(
        code="C.i.1",
        result="c.i",
        name="Number of government officials trained on migration governance with IOM support",
        definition=(
            "Officials of national and local authorities who completed an IOM-supported "
            "training on migration governance (border management, data, labour mobility, "
            "protection, migration and development)."
        ),
        measure="number",
        unit="officials",
        cumulative=True,
        disaggregations=("sex",),
        markers=("gender",),
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(23,),
        method_of_calculation="Officials who completed a training in the quarter.",
        data_source="Attendance lists and training completion certificates.",
        collection_method="Training records",
        responsible_unit="Immigration and Border Management Division",
        base=60,
        goal=1.05,
        covid_dip=True,
        assign=1.0,
    ),
    IndicatorSpec(
        code="C.i.2",
        result="c.i",
        name="Country has a functioning inter-ministerial coordination mechanism on migration",
        definition=(
            "A formally established body bringing together the ministries concerned with "
            "migration that met at least once in the quarter."
        ),
        measure="yes_no",
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(23,),
        method_of_calculation="Yes when the mechanism exists and met in the quarter." + YES_NO_NOTE,
        data_source="Decree establishing the mechanism; minutes of its meetings.",
        collection_method="Desk review",
        responsible_unit="Immigration and Border Management Division",
        base=0.4,
        goal=0.75,
        assign=0.45,
    ),
    IndicatorSpec(
        code="C.i.3",
        result="c.i",
        name="Maturity of the national migration data system",
        definition=(
            "How far the country collects, shares and uses disaggregated migration data for "
            "evidence-based policy."
        ),
        measure="ordinal",
        ordinal_levels=("Nascent", "Emerging", "Developing", "Established", "Advanced"),
        priorities=("governance",),
        sdg_targets=("17.18",),
        gcm_objectives=(1,),
        method_of_calculation="Level assessed against the data maturity rubric." + ORDINAL_NOTE,
        data_source="Assessment with the national statistics office.",
        collection_method="Assessment against a rubric",
        responsible_unit="Global Migration Data Analysis Centre",
        base=2,
        goal=4,
        assign=0.35,
    ),
    # (c)(ii) Policy coherence between migration and development
    IndicatorSpec(
        code="C.ii.1",
        result="c.ii",
        name=(
            "Number of national policies, strategies or plans that integrate migration, "
            "adopted with IOM support"
        ),
        definition=(
            "Sectoral or national development policies, strategies or plans (employment, "
            "health, education, climate, urban) that integrate migration."
        ),
        measure="number",
        unit="policies",
        cumulative=True,
        markers=("inequalities",),
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(23,),
        method_of_calculation="Count of policies formally adopted in the quarter.",
        data_source="Adopted policy documents; official gazettes.",
        collection_method="Desk review",
        responsible_unit="Migration and Sustainable Development Unit",
        base=0.35,
        goal=1.05,
        assign=0.8,
    ),
    IndicatorSpec(
        code="C.ii.2",
        result="c.ii",
        name=(
            "Migration Governance Indicators assessment completed and its findings discussed "
            "with the government"
        ),
        definition=(
            "The country has completed a Migration Governance Indicators (MGI) assessment and "
            "discussed its findings with the government."
        ),
        measure="yes_no",
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(1, 23),
        method_of_calculation="Yes once the findings have been discussed." + YES_NO_NOTE,
        data_source="MGI country profile; workshop report.",
        collection_method="Desk review",
        responsible_unit="Global Migration Data Analysis Centre",
        base=0.2,
        goal=0.7,
        assign=0.4,
    ),
    IndicatorSpec(
        code="C.ii.3",
        result="c.ii",
        name="How migration was integrated across sectors and policies",
        definition=(
            "A short account of the quarter's main result in bringing migration into the "
            "policies of other sectors, and IOM's part in it."
        ),
        measure="qualitative",
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(23,),
        method_of_calculation="Narrative, one paragraph.",
        data_source="Office reporting; meeting records.",
        collection_method="Narrative reporting",
        responsible_unit="Migration and Sustainable Development Unit",
        assign=0.4,
        texts=(
            "IOM supported the Ministry of Labour to add a chapter on labour migration to the "
            "national employment policy of {country}; the draft was validated with {n} ministries.",
            "Following joint advocacy with WHO, the health sector strategy of {country} now "
            "covers migrants' access to primary health care.",
            "The national statistics office of {country} agreed to add migration questions to the "
            "next labour force survey after an IOM-supported technical workshop.",
            "Migration was mainstreamed in the education sector plan of {country}: children of "
            "migrants are now named among the groups entitled to enrolment support.",
            "IOM and the planning ministry of {country} reviewed {n} sectoral plans; three now "
            "reference the migration policy and its monitoring framework.",
        ),
    ),
    # (c)(iii) Decentralized government structures
    IndicatorSpec(
        code="C.iii.1",
        result="c.iii",
        name=(
            "Number of local governments supported to integrate migration into local "
            "development planning"
        ),
        definition=(
            "Municipal or provincial authorities that received IOM technical support to "
            "integrate migration into their development plans."
        ),
        measure="number",
        unit="local governments",
        cumulative=True,
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(15, 16),
        method_of_calculation="Local governments whose support started in the quarter.",
        data_source="Memoranda of understanding with local authorities.",
        collection_method="Administrative records",
        responsible_unit="Migration and Sustainable Development Unit",
        base=1.2,
        goal=1.1,
        assign=0.4,
    ),
    IndicatorSpec(
        code="C.iii.2",
        result="c.iii",
        name=(
            "Percentage of supported municipalities with a local migration action plan under "
            "implementation"
        ),
        definition="Supported municipalities that are implementing a local migration action plan.",
        measure="percentage",
        unit="% of supported municipalities",
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(16,),
        method_of_calculation=(
            "Municipalities implementing a plan ÷ municipalities supported × 100, at the end of "
            "the quarter."
        ),
        data_source="Municipal progress reports.",
        collection_method="Administrative records",
        responsible_unit="Migration and Sustainable Development Unit",
        base=25,
        goal=60,
        sample=12,
        assign=0.3,
    ),
    IndicatorSpec(
        code="C.iii.3",
        result="c.iii",
        name="Examples of local governments implementing the migration aspects of the 2030 Agenda",
        definition="A short account of a local government's result in the quarter.",
        measure="qualitative",
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(15,),
        method_of_calculation="Narrative, one paragraph.",
        data_source="Office reporting; municipal reports.",
        collection_method="Narrative reporting",
        responsible_unit="Migration and Sustainable Development Unit",
        assign=0.3,
        texts=(
            "The municipality of {city} opened a one-stop information desk for migrants and "
            "returnees, run with IOM {country}; {n} people were served in its first month.",
            "Three districts in {country} included migrant households in their local social "
            "protection registers after an IOM-supported mapping.",
            "The city council of {city} adopted its first local migration action plan, drafted "
            "with migrant associations and IOM.",
            "Local authorities in {country} now report migration data to the national planning "
            "system every quarter, using the tool developed with IOM.",
        ),
    ),
    # Institutional output (a): policy capacity, evidence base, knowledge management
    IndicatorSpec(
        code="O.a.1",
        result="o.a",
        name=(
            "Number of research, data and policy products on migration and sustainable "
            "development published"
        ),
        definition="Reports, briefs, data products and guidance notes published by IOM.",
        measure="number",
        unit="products",
        cumulative=True,
        priorities=("governance",),
        sdg_targets=("17.18",),
        gcm_objectives=(1,),
        method_of_calculation="Products published in the quarter.",
        data_source="IOM publications platform.",
        collection_method="Administrative records",
        responsible_unit="Migration Research and Publications Division",
        base=4,
        goal=1.08,
        departments=("hq-pol", "hq-icp"),
    ),
    IndicatorSpec(
        code="O.a.2",
        result="o.a",
        name=(
            "Percentage of IOM country strategies that draw on migration data and evidence on "
            "sustainable development"
        ),
        definition=(
            "Country strategies reviewed in the quarter that use migration data and evidence."
        ),
        measure="percentage",
        unit="% of strategies reviewed",
        priorities=("governance",),
        sdg_targets=("17.18",),
        gcm_objectives=(1,),
        method_of_calculation="Strategies meeting the criteria ÷ strategies reviewed × 100.",
        data_source="Review of country strategies by the Policy Hub.",
        collection_method="Desk review",
        responsible_unit="Policy Hub",
        base=35,
        goal=75,
        sample=20,
        departments=("hq-pol",),
    ),
    IndicatorSpec(
        code="O.a.3",
        result="o.a",
        name="Maturity of knowledge management on migration and sustainable development",
        definition=(
            "How IOM captures, shares and uses what it learns about migration and development."
        ),
        measure="ordinal",
        ordinal_levels=("Ad hoc", "Basic", "Defined", "Managed", "Optimized"),
        priorities=("governance",),
        gcm_objectives=(1,),
        method_of_calculation="Level assessed against the knowledge management rubric."
        + ORDINAL_NOTE,
        data_source="Self-assessment validated by the Policy Hub.",
        collection_method="Assessment against a rubric",
        responsible_unit="Policy Hub",
        base=2,
        goal=4,
        departments=("hq-pol", "hq-dmm"),
    ),
    # Institutional output (b): partnerships
    IndicatorSpec(
        code="O.b.1",
        result="o.b",
        name=(
            "Number of joint programmes with other United Nations entities that integrate migration"
        ),
        definition="Joint programmes signed with United Nations development system entities.",
        measure="number",
        unit="joint programmes",
        cumulative=True,
        priorities=("governance",),
        sdg_targets=("10.7",),
        gcm_objectives=(23,),
        method_of_calculation="Joint programmes signed in the quarter.",
        data_source="Signed programme documents.",
        collection_method="Administrative records",
        responsible_unit="International Partnerships Division",
        base=3,
        goal=1.1,
        departments=("hq-icp", "hq-doe"),
    ),
    IndicatorSpec(
        code="O.b.2",
        result="o.b",
        name=(
            "Number of new partnerships with development finance institutions and bilateral "
            "development partners"
        ),
        definition=(
            "Agreements with the World Bank, regional development banks and bilateral "
            "development cooperation partners."
        ),
        measure="number",
        unit="partnerships",
        cumulative=True,
        priorities=("governance",),
        sdg_targets=("17.3",),
        gcm_objectives=(23,),
        method_of_calculation="Agreements signed in the quarter.",
        data_source="Signed agreements.",
        collection_method="Administrative records",
        responsible_unit="Donor Relations Division",
        base=1.5,
        goal=1.1,
        departments=("hq-icp",),
    ),
    IndicatorSpec(
        code="O.b.3",
        result="o.b",
        name="Share of programme funding from development-oriented sources (%)",
        definition=(
            "Funding received from development cooperation budgets, pooled funds and "
            "development finance institutions, as a share of all programme funding."
        ),
        measure="percentage",
        unit="% of funding",
        priorities=("governance",),
        sdg_targets=("17.3",),
        gcm_objectives=(23,),
        method_of_calculation=(
            "Development-oriented funding received (USD thousands) ÷ all programme funding "
            "received (USD thousands) × 100."
        ),
        data_source="IOM financial system.",
        collection_method="Administrative records",
        responsible_unit="Donor Relations Division",
        base=18,
        goal=30,
        sample=50000,
        departments=("hq-icp",),
    ),
    # Institutional output (c): capacity to integrate migration into the 2030 Agenda
    IndicatorSpec(
        code="O.c.1",
        result="o.c",
        name="Number of IOM staff and partners trained on migration and the 2030 Agenda",
        definition=(
            "Staff and partners who completed a course on migration and sustainable development."
        ),
        measure="number",
        unit="people",
        cumulative=True,
        disaggregations=("sex",),
        markers=("gender",),
        priorities=("governance",),
        sdg_targets=("10.7", "17.18"),
        gcm_objectives=(23,),
        method_of_calculation="People who completed a course in the quarter.",
        data_source="Learning management system.",
        collection_method="Training records",
        responsible_unit="Staff Development and Learning Unit",
        base=40,
        goal=1.1,
        covid_dip=True,
        departments=("hq-dmm", "hq-doe", "hq-pol"),
    ),
    IndicatorSpec(
        code="O.c.2",
        result="o.c",
        name=(
            "Number of United Nations Sustainable Development Cooperation Frameworks that "
            "integrate migration with IOM input"
        ),
        definition="Cooperation Frameworks signed in the quarter whose results include migration.",
        measure="number",
        unit="cooperation frameworks",
        cumulative=True,
        priorities=("governance",),
        sdg_targets=("10.7", "17.18"),
        gcm_objectives=(23,),
        method_of_calculation="Cooperation Frameworks signed in the quarter.",
        data_source="Signed Cooperation Frameworks.",
        collection_method="Desk review",
        responsible_unit="International Partnerships Division",
        base=2,
        goal=1.15,
        departments=("hq-icp",),
    ),
    IndicatorSpec(
        code="O.c.3",
        result="o.c",
        name="Number of Voluntary National Reviews that report on migration with IOM support",
        definition=(
            "Voluntary National Reviews to the High-level Political Forum covering migration."
        ),
        measure="number",
        unit="reviews",
        cumulative=True,
        priorities=("governance",),
        sdg_targets=("17.18",),
        gcm_objectives=(1, 23),
        method_of_calculation="Reviews presented in the quarter.",
        data_source="Voluntary National Reviews database.",
        collection_method="Desk review",
        responsible_unit="Policy Hub",
        base=1,
        goal=1.1,
        departments=("hq-pol",),
    ),
    # Institutional output (d): high-quality migration programming
    IndicatorSpec(
        code="O.d.1",
        result="o.d",
        name=(
            "Percentage of new projects that integrate sustainable development considerations "
            "(development marker applied)"
        ),
        definition="New projects endorsed in the quarter that apply the development marker.",
        measure="percentage",
        unit="% of new projects",
        priorities=("resilience", "mobility", "governance"),
        sdg_targets=("10.7",),
        gcm_objectives=(19,),
        method_of_calculation="Projects applying the marker ÷ projects endorsed × 100.",
        data_source="Project information and management application.",
        collection_method="Administrative records",
        responsible_unit="Project Development and Support Unit",
        base=30,
        goal=70,
        sample=60,
        departments=("hq-dmm", "hq-doe"),
    ),
    IndicatorSpec(
        code="O.d.2",
        result="o.d",
        name="Percentage of new projects with a gender marker code of 2a or 2b",
        definition="New projects endorsed in the quarter that mainstream gender or target it.",
        measure="percentage",
        unit="% of new projects",
        markers=("gender",),
        priorities=("resilience", "mobility", "governance"),
        gcm_objectives=(7,),
        method_of_calculation="Projects coded 2a or 2b ÷ projects endorsed × 100.",
        data_source="Project information and management application.",
        collection_method="Administrative records",
        responsible_unit="Gender and Diversity Coordination Unit",
        base=45,
        goal=80,
        sample=60,
        departments=("hq-dmm", "hq-doe"),
    ),
    IndicatorSpec(
        code="O.d.3",
        result="o.d",
        name=(
            "Number of evaluations completed that assess the development outcomes of IOM programmes"
        ),
        definition=(
            "Project and programme evaluations whose terms of reference cover development outcomes."
        ),
        measure="number",
        unit="evaluations",
        cumulative=True,
        priorities=("governance",),
        method_of_calculation="Evaluation reports finalized in the quarter.",
        data_source="Evaluation repository.",
        collection_method="Administrative records",
        responsible_unit="Central Evaluation Unit",
        base=2,
        goal=1.1,
        departments=("hq-dmm", "hq-doe"),
    ),
    IndicatorSpec(
        code="O.d.4",
        result="o.d",
        name="Lessons learned on migration programming for sustainable development",
        definition="The quarter's main lesson for programming, and what changes because of it.",
        measure="qualitative",
        priorities=("resilience", "mobility", "governance"),
        method_of_calculation="Narrative, one paragraph.",
        data_source="Evaluations; project reviews.",
        collection_method="Narrative reporting",
        responsible_unit="Project Development and Support Unit",
        departments=("hq-dmm",),
        texts=(
            "Projects that involved local authorities from the design stage kept their results "
            "after funding ended; the project template now asks who will sustain each result.",
            "Reintegration projects in {n} countries showed better scores where psychosocial "
            "support was offered alongside business grants; guidance was updated.",
            "A review of {n} projects found that development indicators were added late; the "
            "endorsement checklist now requires them before approval.",
            "Joint programmes with UNDP were faster to start when a single results framework "
            "was agreed up front; this is now the default approach.",
        ),
    ),
]

# The `field` login's office reports on these, so every measure is there to try.
ANCHOR_INDICATORS = [
    "A.i.1",
    "A.ii.1",
    "A.ii.2",
    "A.ii.4",
    "B.i.1",
    "B.i.4",
    "B.ii.1",
    "B.ii.2",
    "B.ii.3",
    "C.i.1",
    "C.i.2",
    "C.i.3",
    "C.ii.1",
    "C.ii.3",
    "C.iii.1",
]

# --- People ----------------------------------------------------------------------------------

# First and last names by region (and "hq"), for plausible demo people.
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bangkok": (
        ("Anh", "Priya", "Rizal", "Somchai", "Maya", "Tenzin", "Farah", "Kiri"),
        ("Nguyen", "Sharma", "Santos", "Wongsakul", "Rahman", "Gurung", "Siregar", "Perera"),
    ),
    "brussels": (
        ("Elena", "Lukas", "Sofia", "Marco", "Inès", "Piotr", "Clara", "Jonas"),
        ("Rossi", "Müller", "García", "Dubois", "Kowalski", "Silva", "Papadopoulos", "Borg"),
    ),
    "buenos-aires": (
        ("Valentina", "Mateo", "Camila", "Diego", "Lucía", "Andrés", "Florencia", "Tomás"),
        ("Fernández", "Rodríguez", "Oliveira", "Quispe", "Torres", "Castro", "Morales", "Rojas"),
    ),
    "cairo": (
        ("Amira", "Omar", "Layla", "Karim", "Nour", "Youssef", "Rania", "Tarek"),
        ("Haddad", "El-Sayed", "Mansour", "Khalil", "Nasser", "Aziz", "Saleh", "Hamdi"),
    ),
    "dakar": (
        ("Aminata", "Moussa", "Fatou", "Ibrahim", "Awa", "Kwame", "Mariam", "Sekou"),
        ("Diallo", "Traoré", "Ndiaye", "Ouédraogo", "Mensah", "Bah", "Coulibaly", "Okafor"),
    ),
    "nairobi": (
        ("Wanjiru", "Abdi", "Faith", "Tesfaye", "Amani", "Halima", "Joseph", "Nyokabi"),
        ("Kamau", "Mohamed", "Otieno", "Bekele", "Mwangi", "Hassan", "Okello", "Achieng"),
    ),
    "pretoria": (
        ("Thandiwe", "Tendai", "Lindiwe", "Chipo", "Sipho", "Nomsa", "Tiago", "Mercy"),
        ("Nkosi", "Moyo", "Dlamini", "Banda", "Mabuza", "Phiri", "Macuácua", "Mwale"),
    ),
    "san-jose": (
        ("María", "José", "Gabriela", "Luis", "Rosa", "Jean", "Daniela", "Carlos"),
        ("Hernández", "López", "Ramírez", "Pierre", "Mejía", "Jiménez", "Campbell", "Vargas"),
    ),
    "vienna": (
        ("Olena", "Aibek", "Ana", "Mehmet", "Nino", "Dragan", "Irina", "Elif"),
        ("Shevchenko", "Nurlanov", "Popescu", "Yılmaz", "Beridze", "Petrović", "Ivanova", "Kaya"),
    ),
    "hq": (
        ("Claire", "Ahmed", "Ingrid", "Rafael", "Yuki", "Samuel", "Aisha", "Henrik"),
        ("Martin", "Karimi", "Johansson", "Costa", "Tanaka", "Osei", "Bello", "Larsen"),
    ),
}

# Main cities, for the qualitative texts of local government results.
CITIES: dict[str, str] = {
    "KE": "Mombasa",
    "ET": "Dire Dawa",
    "SO": "Baidoa",
    "UG": "Arua",
    "CO": "Cúcuta",
    "EC": "Quito",
    "MX": "Tijuana",
    "GT": "Quetzaltenango",
    "HN": "San Pedro Sula",
    "NG": "Benin City",
    "SN": "Tambacounda",
    "MA": "Oujda",
    "TN": "Sfax",
    "BD": "Cox's Bazar",
    "PH": "Davao",
    "UA": "Dnipro",
    "TR": "Gaziantep",
    "ZA": "Durban",
    "MZ": "Beira",
}

NARRATIVES = (
    "Figures compiled from the project's beneficiary database and cross-checked with partners' "
    "reports.",
    "Activities delivered with the Ministry of Labour and two civil society partners.",
    "Data verified during the quarterly monitoring visit.",
    "Includes activities under the joint programme with UNDP and UNICEF.",
    "Results driven by the new community centres opened last quarter.",
)
NARRATIVE_UP = (
    "Much higher than last quarter: a new project phase started and government partners "
    "referred more people."
)
NARRATIVE_DOWN = (
    "Much lower than last quarter: activities were paused while the project was extended; "
    "they resume next quarter."
)
NARRATIVE_COVID = (
    "COVID-19 movement restrictions suspended departures and in-person activities for most of "
    "the quarter."
)

RETURN_COMMENTS = (
    "The sex breakdown does not match the activity report; please check and resubmit.",
    "Please explain the change from last quarter in the narrative.",
    "The denominator should count everyone surveyed, not only those who answered. Please correct.",
    "Please attach the attendance lists or the monitoring report as evidence.",
    "This seems to count people already reported last quarter; count each person once per quarter.",
)
