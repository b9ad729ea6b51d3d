"""Which as-of dates the loaded data can support: runs never publish invented dates."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from creatorlens.errors import CreatorlensError
from creatorlens.transforms.followers import STALE_AFTER_DAYS

CHUNK_DAYS = 31
"""As-of dates computed together in one bulk step (bounded memory, one query set per chunk)."""


def check_as_of_range(start: date, end: date, snapshot_dates: Sequence[date]) -> None:
    """Refuse as-of dates [start, end] the loaded snapshots cannot support.

    Every date must lie between the first and the latest snapshot date loaded (creators or
    posts), and some snapshot must fall in the look-back of the range (a creator of date D has
    a snapshot in [D-6, D]). A range that only partly overlaps the data is refused whole,
    naming the dates that would work: an analyst asking for a range gets exactly that range
    or one line saying why not, never a silently shortened one.
    """
    if not snapshot_dates:
        raise CreatorlensError(
            "no creator or post snapshots loaded yet; deliver exports as "
            "<platform>/<YYYY-MM-DD>/<entity>.<ext> (or write a sample with `creatorlens demo`)"
        )
    first, latest = min(snapshot_dates), max(snapshot_dates)
    asked = f"as-of date {end}" if start == end else f"as-of dates {start} to {end}"
    available = f"choose as-of dates from {first} to {latest}"
    if end > latest:
        raise CreatorlensError(
            f"{asked}: the latest snapshot loaded is {latest}; {available} "
            "(later dates need their exports delivered first)"
        )
    if start < first:
        raise CreatorlensError(
            f"{asked}: the first snapshot loaded is {first} (the latest is {latest}); {available}"
        )
    look_back = start - timedelta(days=STALE_AFTER_DAYS)
    if not any(look_back <= day <= end for day in snapshot_dates):
        raise CreatorlensError(
            f"{asked}: no snapshot loaded from {look_back} to {end} (the latest is "
            f"{latest}); {available} where snapshots exist"
        )


@dataclass(frozen=True)
class AsOfPlan:
    """The as-of dates a run computes, why each, and the recorded changes they recompute."""

    dates: list[date]
    why: str
    changes: list[str] = field(default_factory=list)

    def ranges(self, days: int = CHUNK_DAYS) -> list[tuple[date, date]]:
        """The dates as runs of at most `days` consecutive days, each computed in one step."""
        return consecutive(self.dates, days)


def consecutive(dates: Sequence[date], longest: int | None = None) -> list[tuple[date, date]]:
    """Sorted dates as (first, last) runs of consecutive days, each at most `longest` long."""
    runs: list[tuple[date, date]] = []
    for day in dates:
        first, last = runs[-1] if runs else (None, None)
        joins = last is not None and day == last + timedelta(days=1)
        if joins and (longest is None or (day - first).days < longest):
            runs[-1] = (first, day)
        else:
            runs.append((day, day))
    return runs


def span(first: date, last: date) -> str:
    """A run of dates as people read it: one date, or 'first to last'."""
    return str(first) if first == last else f"{first} to {last}"


def spans(dates: Sequence[date]) -> str:
    """Sorted dates as people read them: runs of consecutive days, comma-separated."""
    return ", ".join(span(*run) for run in consecutive(dates))


def range_plan(start: date, end: date, why: str, pending: pl.DataFrame | None = None) -> AsOfPlan:
    """Every as-of date of [start, end]; it settles the pending changes (load_id, reason,
    as_of_date) that reach only dates of the range, or no computed date at all."""
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    settled = []
    if pending is not None:
        outside = pending.filter(~pl.col("as_of_date").is_between(start, end))
        settled = pending.join(outside, on="load_id", how="anti")["load_id"].unique().sort()
    return AsOfPlan(days, f"{span(start, end)}: {why}", list(settled))


def nightly_plan(run_date: date, pending: pl.DataFrame) -> AsOfPlan:
    """The run date, and every computed as-of date that pending changes (load_id, reason,
    as_of_date) reach, with the reasons; it settles every pending change."""
    reasons = [f"{run_date}: run date"]
    reaching = pending.filter(pl.col("as_of_date").is_not_null())
    for (reason,), dates in reaching.group_by("reason", maintain_order=True):
        reasons.append(f"{spans(dates['as_of_date'].unique().sort())}: {reason}")
    days = sorted({run_date, *reaching["as_of_date"].to_list()})
    return AsOfPlan(days, "; ".join(reasons), pending["load_id"].unique().sort().to_list())
