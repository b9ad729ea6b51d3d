"""One typed settings object: environment variables, overridden by CLI options."""

from pathlib import Path

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from creatorlens.errors import CreatorlensError
from creatorlens.schemas.authenticity_rules import DECLARED

ENV_PREFIX = "CREATORLENS_"


class Settings(BaseSettings):
    """Where creatorlens reads exports and writes its DuckDB files, and how it judges a run."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    exports_dir: Path = Field(Path("data/exports"), description="export landing folder")
    warehouse: Path = Field(Path("data/warehouse.duckdb"), description="pipeline's DuckDB file")
    marts: Path = Field(Path("data/creatorlens.duckdb"), description="published marts for BI")
    reports_dir: Path = Field(Path("data/reports"), description="where HTML reports are written")
    reports_kept: int = Field(
        30,
        ge=1,
        description="HTML reports kept in reports_dir (the newest); older ones are deleted",
    )
    tier_scheme: str = Field("default", description="tier scheme name (reference data)")
    min_authenticity: float = Field(
        DECLARED.score["min_authenticity"],
        ge=0.0,
        le=100.0,
        description="authenticity_score below which a creator is suspicious_growth and left out "
        "of the rankings (0-100)",
    )
    max_quarantine_share: float = Field(
        0.01, ge=0.0, le=1.0, description="largest share of a run's rows that may be quarantined"
    )
    freshness_warn_after_days: int = Field(
        1, ge=1, description="warn when a platform's snapshots lag the run's date this many days"
    )
    freshness_error_after_days: int = Field(
        3, ge=1, description="fail the run when a platform's snapshots lag this many days"
    )
    publish_grace_hours: float = Field(
        24.0,
        ge=0.0,
        description="hours a published Parquet file is kept once the published file no longer "
        "names it (how long a BI connection opened before a publish keeps reading)",
    )
    buckets: int = Field(
        0,
        ge=0,
        description="hash buckets of account_id per platform that creator metrics are computed "
        "in (0: one per 1,000,000 staging rows a range reads, on the platform that reads most)",
    )
    scratch_dir: Path | None = Field(
        None,
        description="where a run's shards pass as Parquet, storage every Dask worker reaches "
        "(none: <warehouse>.scratch beside the warehouse file)",
    )
    duckdb_memory_limit: str = Field(
        "128MB",
        description="memory DuckDB may use while a run computes and publishes, before it spills "
        "to disk beside the warehouse (a size such as 512MB)",
    )
    duckdb_load_memory_limit: str = Field(
        "512MB",
        description="memory DuckDB may use while a run loads export files (merging a day's posts "
        "into every post's latest snapshot), before it spills to disk (a size such as 1GB)",
    )
    scrape_time_zones: dict[str, str] = Field(
        {},
        description="time zone of each scrape format's times that carry no offset, as JSON such "
        'as {"tiktok-videos": "Asia/Ho_Chi_Minh"} (`import-scrape --time-zone` overrides it)',
    )
    prefect_server_idle_minutes: float = Field(
        60.0,
        gt=0,
        description="minutes without a request after which the Prefect server that CLI runs "
        "start in the background (when no PREFECT_API_URL is set) stops by itself",
    )
    dask_address: str | None = Field(
        None,
        description="Dask scheduler that runs the shards (tcp://host:8786); none: here",
    )

    def duckdb_limit(self, *, loading: bool) -> tuple[str, str]:
        """The DuckDB memory limit for loading or for the rest of a run: (its environment
        variable, its size)."""
        name = "duckdb_load_memory_limit" if loading else "duckdb_memory_limit"
        return ENV_PREFIX + name.upper(), getattr(self, name)

    @property
    def prefect_server_dir(self) -> Path:
        """The state and log of the background Prefect server of CLI runs: beside the
        warehouse, in `prefect/`."""
        return self.warehouse.parent / "prefect"

    @property
    def scratch(self) -> Path:
        """The scratch folder: scratch_dir, or one beside the warehouse file (one per warehouse,
        as its writer lock is)."""
        return self.scratch_dir or self.warehouse.with_suffix(".scratch")


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment with the given non-None overrides; one-line error if bad."""
    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "settings"
        source = (
            "option --" + name.replace("_", "-") if name in given else ENV_PREFIX + name.upper()
        )
        raise CreatorlensError(f"{source}: {error['msg']}") from None
