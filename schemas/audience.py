"""Audience demographics (design section 10): the canonical buckets every platform's labels map
to, and how each platform's audience line is laid out (its adapter declaration, read by
creatorlens.ingest.files and named in schemas.platforms)."""

from dataclasses import dataclass

_ISO_CODES = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM
DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS
GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ
MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM
PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV
SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI
VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRIES = tuple(_ISO_CODES.split())
"""ISO 3166-1 alpha-2 codes: the canonical country buckets."""

AGES = ("13-17", "18-24", "25-34", "35-44", "45-54", "55+")
"""Canonical age buckets: older buckets a platform reports merge into 55+."""

GENDERS = ("female", "male", "other")

GENDER_LABELS = {
    "f": "female",
    "female": "female",
    "m": "male",
    "male": "male",
    "u": "other",
    "user_specified": "other",
    "other": "other",
}
"""What a platform's gender label means, read without regard to case."""

DIMENSIONS = ("country", "age", "gender", "age_gender")
"""The dimensions of an audience: age_gender is a joint table of age and gender (YouTube)."""

LINE = "line"
"""The dimension of the one row every audience line gives, bucket-less: the file holds that
creator (a line with no buckets at all is still the creator's snapshot, every dimension
lacking)."""


@dataclass(frozen=True)
class AudienceTable:
    """Where one dimension's buckets are in a platform's audience line.

    `items` is a path to a list in the line: dotted keys, `[]` for every element of a list,
    `[key=value]` for the elements whose `key` (a dotted path) is `value`. In each element,
    `label`, `gender` and `value` are dotted keys or list positions ("0")."""

    dimension: str
    items: str
    label: str
    value: str
    gender: str | None = None
    unit: str = "share"
    """What the values are (a count of followers, of views, a percentage, a share): shares are
    a bucket's value over the dimension's sum whatever the unit."""


@dataclass(frozen=True)
class AudienceSpec:
    """How a platform delivers one creator's audience as one JSON line."""

    key: str
    """The line's field holding the creator's key (the creators file's key)."""
    tables: tuple[AudienceTable, ...]
    ages: dict[str, str]
    """The platform's age labels, by canonical bucket (several labels may share one)."""


def _instagram_breakdown(dimension: str) -> AudienceTable:
    return AudienceTable(
        dimension,
        f"data[].total_value.breakdowns[dimension_keys.0={dimension}].results[]",
        label="dimension_values.0",
        value="value",
        unit="followers (count)",
    )


INSTAGRAM_AUDIENCE = AudienceSpec(
    key="id",
    # the data objects of insights?metric=follower_demographics for breakdown=country, age and
    # gender, merged into one line by the exporter
    tables=tuple(_instagram_breakdown(d) for d in ("country", "age", "gender")),
    ages={a: a for a in AGES[:-1]} | {"55-64": "55+", "65+": "55+"},
)

TIKTOK_AUDIENCE = AudienceSpec(
    key="username",
    tables=(
        AudienceTable("country", "audience_countries[]", "country", "percentage"),
        AudienceTable("gender", "audience_genders[]", "gender", "percentage"),
        AudienceTable("age", "audience_ages[]", "age", "percentage"),
    ),
    ages={a: a for a in AGES[1:]},
)

YOUTUBE_AUDIENCE = AudienceSpec(
    key="channelId",
    # YouTube Analytics reports: dimensions=ageGroup,gender&metrics=viewerPercentage (a joint
    # table), and dimensions=country&metrics=views (a share of views, not of followers)
    tables=(
        AudienceTable(
            "age_gender", "ageGender.rows[]", label="0", gender="1", value="2", unit="percentage"
        ),
        AudienceTable("country", "country.rows[]", label="0", value="1", unit="views (count)"),
    ),
    ages={f"age{a}": a for a in AGES[:-1]} | {"age55-64": "55+", "age65-": "55+"},
)

AUDIENCES = {
    "instagram": INSTAGRAM_AUDIENCE,
    "tiktok": TIKTOK_AUDIENCE,
    "youtube": YOUTUBE_AUDIENCE,
}
"""Each platform's audience line (design section 10)."""

JOINT_AGE_GENDER = frozenset(
    platform
    for platform, spec in AUDIENCES.items()
    if any(t.dimension == "age_gender" for t in spec.tables)
)
"""The platforms whose age and gender come as one joint table: their age and gender shares are
its marginals, and a brief's age-and-gender share is the table's own cells."""


BRIEF_LISTS = {"countries": COUNTRIES, "ages": AGES, "genders": GENDERS}
"""A brief's list columns whose values must be canonical (niches are the roster's, and
platforms the adapters'), and the values each may hold."""
