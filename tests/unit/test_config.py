"""Settings: working defaults in development, no default secrets in production."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tandem.config import DEVELOPMENT_SECRET, Settings


def test_development_defaults_to_the_embedded_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TANDEM_MODE", "TANDEM_DATABASE_URL", "TANDEM_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.mode == "development"
    assert settings.database_url == "sqlite:///var/tandem.db"
    assert settings.secret_key == DEVELOPMENT_SECRET


def test_environment_overrides_with_the_tandem_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_DATABASE_URL", "postgresql+psycopg://app@db/tandem")
    monkeypatch.setenv("TANDEM_PORT", "9000")
    settings = Settings()
    assert (settings.database_url, settings.port) == ("postgresql+psycopg://app@db/tandem", 9000)


@pytest.mark.parametrize(
    ("secret", "secure", "message"),
    [
        (DEVELOPMENT_SECRET, True, "TANDEM_SECRET_KEY"),
        ("too-short", True, "TANDEM_SECRET_KEY"),
        ("x" * 40, False, "TANDEM_COOKIE_SECURE"),
    ],
)
def test_production_refuses_default_or_weak_secrets(
    secret: str, secure: bool, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(mode="production", secret_key=secret, cookie_secure=secure)


def test_production_accepts_a_real_secret() -> None:
    settings = Settings(mode="production", secret_key="s" * 32, cookie_secure=True)
    assert settings.mode == "production"
