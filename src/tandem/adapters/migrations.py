"""Schema migrations with Alembic, driven from code (``tandem db upgrade``) and tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

PROJECT_ROOT = Path(__file__).resolve().parents[3]


def _config(engine: Engine) -> Config:
    ini = PROJECT_ROOT / "alembic.ini"
    config = Config(str(ini))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # alembic.ini names no path_separator: Alembic >= 1.16 then warns (an error under pytest's
    # filterwarnings=error) each time it reads prepend_sys_path.
    config.set_main_option("path_separator", "os")
    return config


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """One transaction for the migration. On SQLite, foreign keys are off meanwhile: Alembic's
    batch mode rebuilds a table by copying and dropping it, which the checks would refuse while
    other tables still point at it; ``PRAGMA foreign_key_check`` then confirms nothing dangles
    before the commit (https://www.sqlite.org/lang_altertable.html#otheralter)."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # must run outside a transaction, on the driver's connection
            _pragma(connection, "foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if dangling:
                        raise RuntimeError(f"migration left dangling references: {dangling[:5]}")
        finally:
            if sqlite:
                _pragma(connection, "foreign_keys=ON")


def _pragma(connection: Connection, setting: str) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA {setting}")


def upgrade(engine: Engine, revision: str = "head") -> None:
    with _migrating(engine) as connection:
        config = _config(engine)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    with _migrating(engine) as connection:
        config = _config(engine)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
