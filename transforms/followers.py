"""Creators of each as-of date and their followers: the latest creator snapshot in [D-6, D]."""

from datetime import date, timedelta

import polars as pl

STALE_AFTER_DAYS = 6
CREATOR = ["platform", "account_id"]


def as_of_dates(start: date, end: date) -> pl.DataFrame:
    """One row per as-of date in [start, end]."""
    return pl.DataFrame({"as_of_date": pl.date_range(start, end, eager=True)})


def latest_creator_snapshots(snapshots: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """One row per creator per as-of date D in [start, end] that has a snapshot dated in [D-6, D]:
    that latest snapshot's handle and followers (null when hidden)."""
    latest = _latest_on(snapshots, end) if start == end else _latest_by_date(snapshots, start, end)
    return latest.select("as_of_date", *CREATOR, "handle", "followers")


def _latest_by_date(snapshots: pl.DataFrame, start: date, end: date) -> pl.DataFrame:
    """Each creator's latest snapshot of its staleness window, for every date in [start, end]
    that has one."""
    # join_asof needs each creator's rows in date order, no more: the snapshots sorted by date,
    # and the cross join, which keeps each creator's dates in order (no sort of text keys)
    right = snapshots.sort("snapshot_date", maintain_order=True)
    candidates = (
        right.select(CREATOR)
        .unique(maintain_order=True)
        .join(as_of_dates(start, end), how="cross", maintain_order="left_right")
    )
    matched = candidates.join_asof(
        right,
        left_on="as_of_date",
        right_on="snapshot_date",
        by=CREATOR,
        strategy="backward",
        tolerance=f"{STALE_AFTER_DAYS}d",
        check_sortedness=False,
    )
    return matched.filter(pl.col("snapshot_date").is_not_null())


def _latest_on(snapshots: pl.DataFrame, day: date) -> pl.DataFrame:
    """Each creator's latest snapshot of the staleness window of `day`, the one as-of date: a
    sort and a unique, with no join."""
    recent = snapshots.filter(
        pl.col("snapshot_date").is_between(day - timedelta(days=STALE_AFTER_DAYS), day)
    ).sort("snapshot_date")
    return recent.unique(CREATOR, keep="last").with_columns(as_of_date=pl.lit(day, dtype=pl.Date))
