"""The bench's export folders: the demo export of a size (generated once, cached), tiled side by
side for larger sizes, landed day by day into a run's folder as deliveries would be, and an old
file restated."""

import gzip
import hashlib
import io
import os
import shutil
from datetime import date
from pathlib import Path

import polars as pl

from bench.cli import CACHE
from creatorlens import demo
from creatorlens.demo import DemoConfig, generate, write


def exports_for(config: DemoConfig) -> Path:
    """The demo export of `config`, generated once and cached under the demo code's digest: a
    demo that writes more (audience files came after an export was cached) writes it anew."""
    digest = hashlib.sha256()
    for source in sorted(Path(demo.__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    name = f"exports-{config.creators}-{config.days}-{config.seed}-{digest.hexdigest()[:12]}"
    folder = CACHE / name
    complete = folder / ".complete"
    if not complete.exists():
        shutil.rmtree(folder, ignore_errors=True)
        write(generate(config), folder)
        complete.touch()
    return folder


ID_COLUMNS = {"id", "owner.id", "username", "snippet.channelId", "account_id"}
"""The CSV columns (as flattened) that hold a creator's or a post's id, in any export."""
JSON_IDS = r'"(id|channelId|username)": "((?:[^"\\]|\\.)*)"'
"""The same fields in JSON Lines, as the demo writes them (one space after the colon)."""
TILED_AGENCY_FILES = {"roster.csv", "rate_cards.csv"}


def tiled(source: Path, copies: int) -> Path:
    """`copies` copies of a demo export side by side: `copies` times the creators and posts,
    copy k > 0 with every creator and post id suffixed `x<k>` (roster and rate cards too;
    the campaigns stay those of copy 0). A quick way to a large export of the demo's data;
    cached beside it."""
    if copies == 1:
        return source
    target = source.with_name(f"{source.name}-x{copies}")
    complete = target / ".complete"
    if complete.exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    for path in sorted(source.rglob("*")):
        if path.is_dir() or path.name == ".complete":
            continue
        relative = path.relative_to(source)
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        dated = len(relative.parts) == 3 and relative.parts[0] != "results"
        if not (dated or relative.name in TILED_AGENCY_FILES):
            shutil.copyfile(path, out)
            continue
        compressed = path.suffix == ".gz"
        data = path.read_bytes()
        text = (gzip.decompress(data) if compressed else data).decode()
        tiles = _csv_tiles if ".csv" in path.name else _jsonl_tiles
        data = tiles(text, copies).encode()
        out.write_bytes(gzip.compress(data, compresslevel=1) if compressed else data)
    complete.touch()
    return target


def _csv_tiles(text: str, copies: int) -> str:
    frame = pl.read_csv(text.encode(), infer_schema=False)
    ids = [name for name in frame.columns if name in ID_COLUMNS]
    tiles = [frame] + [frame.with_columns(pl.col(ids) + f"x{k}") for k in range(1, copies)]
    return pl.concat(tiles).write_csv()


def _jsonl_tiles(text: str, copies: int) -> str:
    lines = pl.Series(text.splitlines())
    tiles = [lines] + [
        lines.str.replace_all(JSON_IDS, f'"${{1}}": "${{2}}x{k}"') for k in range(1, copies)
    ]
    return "\n".join(pl.concat(tiles).to_list()) + "\n"


def land(source: Path, target: Path, last_day: date) -> None:
    """Hard-link the export files dated up to `last_day` (and the agency files) into
    `target`, as a delivery would have them."""
    for path in sorted(source.rglob("*")):
        if path.is_dir() or path.name == ".complete":
            continue
        relative = path.relative_to(source)
        if len(relative.parts) == 3 and date.fromisoformat(relative.parts[1]) > last_day:
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        if not (target / relative).exists():
            os.link(path, target / relative)


def restate_tiktok_posts(exports: Path, day: date) -> None:
    """Deliver the TikTok posts of `day` again, every like count doubled (a new file)."""
    path = exports / "tiktok" / str(day) / "posts.csv.gz"
    posts = pl.read_csv(io.BytesIO(gzip.decompress(path.read_bytes())), infer_schema=False)
    doubled = posts.with_columns((pl.col("like_count").cast(pl.Int64) * 2).cast(pl.String))
    path.unlink()  # the cached original stays as it is
    path.write_bytes(gzip.compress(doubled.write_csv().encode()))
