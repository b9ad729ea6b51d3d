"""Which as-of dates the loaded data can support: runs never publish invented dates."""

from collections.abc import Sequence
from datetime import date, timedelta

from creatorlens.errors import CreatorlensError
from transforms.followers import STALE_AFTER_DAYS


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
