"""Settings: one object built from XBORDER_* environment variables and passed down; domains never read env."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["AlertSettings", "ImportLimits", "MtSettings", "SecuritySettings", "Settings", "default_data_dir"]


def default_data_dir() -> Path:
    return Path.cwd() / "var"


class SecuritySettings(BaseModel):
    """Sign-in and session policy."""

    session_days: int = 14
    cookie_secure: bool = False  # set true behind HTTPS
    login_max_failures: int = 5
    login_window_seconds: int = 900
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536


class ImportLimits(BaseModel):
    """Guards for uploaded spreadsheets (size, rows, XLSX decompression)."""

    max_upload_bytes: int = 100 * 1024 * 1024
    max_rows: int = 500_000
    max_xlsx_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_xlsx_compression_ratio: int = 200


class MtSettings(BaseModel):
    """Machine translation: `provider` is an entry-point name in group `xborder.mt_providers`.

    None (the default) means no MT: the studio uses translation memory, glossary and human translators, and marks
    the segments that need one; it never invents a translation.
    """

    provider: str | None = None
    url: str | None = None
    api_key: str | None = None
    model: str | None = None
    model_dir: str | None = None
    timeout_seconds: float = 30.0
    max_batch: int = 50


class AlertSettings(BaseModel):
    """Compliance alert delivery: signed webhooks always; e-mail only when an SMTP host is configured."""

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "xborder@localhost"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    timeout_seconds: float = 10.0
    expiry_warning_days: int = 60
    # Webhooks to loopback/private/link-local/... addresses are refused (SSRF); true for on-premises receivers.
    allow_private_webhooks: bool = False
    retry_every_minutes: float = 5.0  # recurring job: send due (and retry failed) deliveries
    expiry_scan_every_hours: float = 24.0  # recurring job: expiry scan, then deliveries


class Settings(BaseSettings):
    """All configuration. `XBORDER_DATABASE_URL=postgresql+psycopg://...` selects PostgreSQL."""

    model_config = SettingsConfigDict(env_prefix="XBORDER_", env_nested_delimiter="__", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    sql_echo: bool = False
    job_runner: str = "inprocess"  # "inprocess" (embedded default) or "external" (a separate `xborder worker`)
    default_locale: str = "zh-CN"
    pricing_refresh_seconds: float = 5.0  # how often a running process looks for new FX/tariff files (0: every use)
    security: SecuritySettings = SecuritySettings()
    imports: ImportLimits = ImportLimits()
    mt: MtSettings = MtSettings()
    alerts: AlertSettings = AlertSettings()

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'xborder.sqlite3').as_posix()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url().startswith("sqlite")
