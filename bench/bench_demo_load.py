"""Loading the demo network into SQLite, against a raw bulk insert of the same demand rows.

Reference: one `executemany` INSERT of the 94,170 demand rows into a bare table of the same shape
(no service, no validation), measured in the same run. The ratio says what validation, the unit
of work and the other tables cost on top of the bare insert. Medians of several runs.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tandem.adapters.database import create_engine
from tandem.adapters.memory import PlainPasswordHasher
from tandem.adapters.migrations import upgrade
from tandem.bootstrap import bootstrap
from tandem.config import Settings
from tandem.domain.identity import ALL_SCOPES, Principal
from tandem.services import demand, transfer
from tandem.services.context import PageRequest
from tandem.services.demo_network import build_demo_snapshot

RUNS = 3


def _reference(rows: list[tuple[int, int, str, float]], folder: Path) -> float:
    connection = sqlite3.connect(folder / "raw.db")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE demand_point (id INTEGER PRIMARY KEY, site_id INT, item_id INT, "
        "day DATE, quantity REAL, UNIQUE (site_id, item_id, day))"
    )
    started = time.perf_counter()
    with connection:
        connection.executemany(
            "INSERT INTO demand_point (site_id, item_id, day, quantity) VALUES (?, ?, ?, ?)", rows
        )
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def _load(folder: Path) -> tuple[float, float]:
    snapshot = build_demo_snapshot()
    engine = create_engine(f"sqlite:///{folder / 'tandem.db'}")
    upgrade(engine)
    container = bootstrap(Settings(), engine=engine, passwords=PlainPasswordHasher())
    started = time.perf_counter()
    summary = transfer.import_snapshot(container.services, snapshot)
    loaded = time.perf_counter() - started
    with container.services.uow() as uow:
        member = uow.members.find(code="BOHNE")[0]
    viewer = Principal(member.id, summary.network_id, "bench", ALL_SCOPES)
    started = time.perf_counter()
    demand.read_demand(container.services, viewer, PageRequest(0, 1000))
    read = time.perf_counter() - started
    engine.dispose()
    return loaded, read


def main() -> None:
    snapshot = build_demo_snapshot()
    codes = {code: n for n, code in enumerate(sorted({d.site for d in snapshot.demand}))}
    skus = {sku: n for n, sku in enumerate(sorted({d.item for d in snapshot.demand}))}
    rows = [(codes[d.site], skus[d.item], d.day.isoformat(), d.quantity) for d in snapshot.demand]
    references, loads, reads = [], [], []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            references.append(_reference(rows, Path(folder)))
            loaded, read = _load(Path(folder))
            loads.append(loaded)
            reads.append(read)
    ref, load, read = (statistics.median(x) for x in (references, loads, reads))
    print(f"{'measure':<44}{'median s':>10}{'ratio':>8}")
    print(f"{'reference: raw executemany of demand rows':<44}{ref:>10.3f}{1.0:>8.1f}")
    print(f"{'tandem: import_snapshot of the demo network':<44}{load:>10.3f}{load / ref:>8.1f}")
    print(f"{'tandem: scoped read, 1,000 rows, own data':<44}{read:>10.3f}{read / ref:>8.2f}")
    print(f"({len(rows):,} demand rows, {RUNS} runs)")


if __name__ == "__main__":
    main()
