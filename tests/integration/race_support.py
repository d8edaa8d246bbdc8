"""What the PostgreSQL race tests share: slowed reads and threads released together (the
``migrated_engine`` fixture is in this folder's conftest).

The races are made deterministic by pausing after every read of the contended rows: writers that
read without a row lock then always overlap, and only ``get_for_update`` makes them queue.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy.engine import Engine

from tandem.adapters.tables import metadata

PAUSE = 0.3  # seconds a slowed read waits during a race


def empty(engine: Engine) -> None:
    metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


class SlowReads:
    """A repository whose ``methods`` (by default ``get`` and ``get_for_update``) pause
    ``pause`` seconds after they return."""

    def __init__(
        self,
        inner: Any,
        pause: float = PAUSE,
        methods: tuple[str, ...] = ("get", "get_for_update"),
    ) -> None:
        self._inner = inner
        self._pause = pause
        self._methods = methods

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if name not in self._methods:
            return attribute

        def slow(*args: Any, **kwargs: Any) -> Any:
            found = attribute(*args, **kwargs)
            time.sleep(self._pause)
            return found

        return slow


def race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions in threads released together; return each result or exception."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def contender(index: int) -> None:
        barrier.wait(timeout=10)
        try:
            outcomes[index] = actions[index]()
        except Exception as error:  # the outcome under test
            outcomes[index] = error

    threads = [threading.Thread(target=contender, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [thread.is_alive() for thread in threads] == [False] * len(actions)
    return outcomes


def race_each(count: int, action: Callable[[int], Any]) -> list[Any]:
    """``action(i)`` in ``count`` threads released together; each result or exception."""
    return race(*(partial(action, index) for index in range(count)))
