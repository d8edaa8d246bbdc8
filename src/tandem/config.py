"""The one typed settings object, built at start-up (never at import) from ``TANDEM_*``."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TANDEM_", env_file=None, extra="ignore")

    mode: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///var/tandem.db"
    secret_key: str = DEVELOPMENT_SECRET
    session_hours: float = Field(default=12.0, gt=0, le=24 * 30)
    cookie_secure: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=1024)
    mqtt_url: str | None = None
    dask_scheduler: str | None = None
    """Address of a running Dask scheduler (``tcp://host:8786``): when set, the platform's forecast
    runs (API, web page) and ``tandem forecast run|backtest`` compute on that cluster."""

    planning_workers: int = Field(default=1, ge=1, le=64)
    """Worker processes that execute planning runs started through the API (MRP runs never
    compute in the web request)."""

    @model_validator(mode="after")
    def _no_default_secrets_in_production(self) -> Settings:
        if self.mode == "production":
            if self.secret_key == DEVELOPMENT_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "TANDEM_SECRET_KEY must be set to a random value of at least 32 characters "
                    "outside development mode"
                )
            if not self.cookie_secure:
                raise ValueError("TANDEM_COOKIE_SECURE must be true outside development mode")
        return self
