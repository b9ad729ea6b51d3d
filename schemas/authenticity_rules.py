"""The authenticity rules and their parameters (design section 9): the one declaration that the
assessment reads, and that the README and the marts' column comments are rendered from."""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Parameter:
    """One parameter of a rule: its value, unit and a one-line meaning."""

    name: str
    value: float
    unit: str
    meaning: str


@dataclass(frozen=True)
class Rule:
    """A flag of the fixed vocabulary (or, for `signals` and `score`, what every rule shares),
    what it means, and its parameters."""

    flag: str
    meaning: str
    parameters: tuple[Parameter, ...]
    enabled: bool = True

    def __getitem__(self, name: str) -> float:
        return next(p.value for p in self.parameters if p.name == name)


SIGNALS = Rule(
    "signals",
    "each creator's own baseline, from its follower counts and posts dated in [D-89, D]",
    (
        Parameter(
            "window_days", 90, "days", "the window of snapshots and posts an as-of date reads"
        ),
        Parameter(
            "min_spread",
            0.002,
            "log growth a day",
            "floor of a creator's day-to-day spread (1.4826 x the median absolute deviation "
            "of its daily growth); the spread is also at least one follower a day",
        ),
        Parameter(
            "min_quiet_days",
            7,
            "days",
            "the baseline is taken again from the days outside every rise and fall when this "
            "many are left",
        ),
        Parameter(
            "sharp_z",
            4.0,
            "spreads",
            "1-3 days whose growth above the creator's median day is this many spreads times "
            "the root of their days are sharp days",
        ),
        Parameter(
            "sharp_min",
            0.01,
            "log growth a day",
            "and at least this much a day (a sharp day is never a small one)",
        ),
        Parameter(
            "slow_days",
            15,
            "days",
            "sustained growth is judged on the mean of the days that are not sharp within a "
            "centred span of this many days",
        ),
        Parameter(
            "slow_z",
            3.0,
            "spreads / sqrt(days)",
            "a day is slow when that mean is this far above the median (over the root of the "
            "days it is made of)",
        ),
        Parameter("slow_min", 0.003, "log growth a day", "and at least this much"),
        Parameter(
            "edge_z",
            1.0,
            "spreads",
            "a rise (fall) is a run of sharp or slow days, one day between them bridged, from "
            "its first to its last day this far above (below) the median",
        ),
        Parameter(
            "edge_share",
            0.25,
            "x its peak day",
            "and by at least this share of the event's biggest day",
        ),
        Parameter(
            "viral_multiple",
            5.0,
            "x the median post",
            "a post is viral when its engagement per follower is this many times the median "
            "of the creator's other posts",
        ),
        Parameter(
            "viral_z",
            2.0,
            "post spreads",
            "and its log engagement per follower is this many spreads of the creator's posts "
            "above their median (1.4826 x the median absolute deviation)",
        ),
        Parameter(
            "explain_days",
            3,
            "days",
            "a viral post published from this many days before a rise's start until the day "
            "half of the rise had arrived explains it (unless engagement_lag)",
        ),
        Parameter(
            "front_days",
            4,
            "days",
            "and only a rise that brought half its growth within this many days of its start "
            "(a viral post's followers arrive together; bought ones can be drip-fed)",
        ),
        Parameter(
            "mature_days",
            5,
            "days",
            "posts younger than this are left out of engagement comparisons (their counts "
            "still grow)",
        ),
    ),
)

RULES = (
    Rule(
        "follower_burst",
        "growth over 1-6 days far above the creator's own baseline, not explained by a post",
        (
            Parameter("max_days", 6, "days", "a rise this long or shorter is a burst"),
            Parameter(
                "min_gain",
                0.06,
                "log growth",
                "the rise's growth above the baseline is at least this (6%)",
            ),
            Parameter(
                "min_z",
                5.0,
                "spreads x sqrt(days)",
                "and at least this many day-to-day spreads, times the root of its days",
            ),
            Parameter("penalty", 55, "points", "taken from the score (plus severity)"),
        ),
    ),
    Rule(
        "follower_drip",
        "growth sustained well above baseline for 7 days or more (longer than follower_burst's "
        "max_days), not explained by a post",
        (
            Parameter("min_gain", 0.06, "log growth", "as for follower_burst"),
            Parameter("min_z", 6.0, "spreads x sqrt(days)", "as for follower_burst"),
            Parameter("penalty", 55, "points", "taken from the score (plus severity)"),
        ),
    ),
    Rule(
        "engagement_lag",
        "engagement per follower of the posts from a rise's start on well below the creator's "
        "level before it (bought followers never engage); such a rise is never explained",
        (
            Parameter(
                "fall_share",
                0.5,
                "x log(1 + gain)",
                "engagement per follower after / before (geometric means) fell by at least "
                "this share of what followers who never engage would cause",
            ),
            Parameter(
                "min_z",
                3.0,
                "standard errors",
                "and the fall is at least this many standard errors of the difference",
            ),
            Parameter("min_posts", 3, "posts", "mature posts needed before and after the rise"),
            Parameter(
                "min_post_spread",
                0.25,
                "log engagement per follower",
                "floor of the spread of the creator's posts that the standard error is made of",
            ),
            Parameter("penalty", 15, "points", "taken from the score"),
        ),
    ),
    Rule(
        "purge_drop",
        "a sharp fall in followers: a platform removing fake accounts after a purchase (the "
        "rise may be older than the window)",
        (
            Parameter("max_days", 7, "days", "the fall is this long or shorter"),
            Parameter(
                "min_loss", 0.04, "log growth", "its fall below the baseline is at least this (4%)"
            ),
            Parameter("min_z", 5.0, "spreads x sqrt(days)", "as for follower_burst"),
            Parameter("penalty", 55, "points", "taken from the score (plus severity)"),
        ),
    ),
    Rule(
        "low_engagement_for_size",
        "the median post's engagement per follower below the line for creators of the same "
        "platform and size (creatorlens/reference/low_engagement.csv)",
        (
            Parameter("min_posts", 3, "posts", "mature posts needed in the window"),
            Parameter(
                "penalty", 20, "points", "taken from the score: not enough to flag on its own"
            ),
        ),
    ),
)

SCORE = Rule(
    "score",
    "authenticity_score = 100 less the penalty of each flag that fires (each counted once), "
    "at least 0; null with too little history",
    (
        Parameter(
            "min_counts",
            14,
            "follower counts",
            "fewer counts in the window than this: too little history, the score is null",
        ),
        Parameter(
            "severity",
            35,
            "points",
            "burst, drip and purge penalties grow by up to this much with the share gained or "
            "lost (all of it at 50%)",
        ),
        Parameter("severity_share", 0.5, "share", "the share at which severity is all added"),
        Parameter(
            "min_authenticity",
            50,
            "points",
            "default of CREATORLENS_MIN_AUTHENTICITY: suspicious_growth is a score below it",
        ),
    ),
)


@dataclass(frozen=True)
class Rules:
    """The rules an assessment applies: the declaration, or a copy with some switched off."""

    signals: Rule = SIGNALS
    rules: tuple[Rule, ...] = RULES
    score: Rule = SCORE

    def __getitem__(self, flag: str) -> Rule:
        return next(rule for rule in self.rules if rule.flag == flag)

    @property
    def flags(self) -> tuple[str, ...]:
        """The fixed vocabulary of authenticity_flags, in the declaration's order."""
        return tuple(rule.flag for rule in self.rules)

    def replaced(self, flag: str, **values: float) -> "Rules":
        """A copy with these parameters of rule `flag` (or signals, score) set to `values`."""

        def changed(rule: Rule) -> Rule:
            names = {p.name for p in rule.parameters}
            if rule.flag != flag:
                return rule
            if set(values) - names:
                raise ValueError(f"{flag} has no {', '.join(sorted(set(values) - names))}")
            return replace(
                rule,
                parameters=tuple(
                    replace(p, value=values[p.name]) if p.name in values else p
                    for p in rule.parameters
                ),
            )

        return replace(
            self,
            signals=changed(self.signals),
            rules=tuple(changed(r) for r in self.rules),
            score=changed(self.score),
        )

    def without(self, *flags: str) -> "Rules":
        """These rules switched off: they never fire (to measure what each one adds)."""
        unknown = set(flags) - set(self.flags)
        if unknown:
            raise ValueError(f"no such rule: {', '.join(sorted(unknown))}")
        return replace(
            self,
            rules=tuple(replace(r, enabled=r.flag not in flags) for r in self.rules),
        )


DECLARED = Rules()
