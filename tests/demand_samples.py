"""Real demand series for the scale-out tests: a small, fixed sample of the MAN weekly SKUs.

The shared data sets sit beside the repository (``../shared/data/demand``, or the folder named
by ``TANDEM_DEMAND_DATA``); tests that need them are skipped, with the path in the reason, where
they are absent.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tandem.planning.forecasting import classify, prepare_table

DATA = Path(
    os.environ.get(
        "TANDEM_DEMAND_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data/demand"
    )
)
MAN_CLASSES = {"smooth": 1, "erratic": 23, "lumpy": 12, "intermittent": 12, "insufficient": 6}
MAN_NO_DEMAND = 6


def man_weekly_sample() -> pd.DataFrame:
    """60 MAN SKUs (see :func:`_man_weekly_sample`); a fresh copy each call."""
    path = DATA / "man_demand_weekly.csv"
    if not path.exists():
        pytest.skip(f"the shared demand data are not at {path}")
    return _man_weekly_sample(path).copy()


@cache
def _man_weekly_sample(path: Path) -> pd.DataFrame:
    """60 MAN SKUs as a ``unique_id, ds, y`` table of weekly dates (Mondays from 2015-01-05).

    The first SKUs (by id) of each demand class over the whole history: the only smooth one,
    all 23 erratic, 12 lumpy, 12 intermittent, 6 with one demand and 6 with none. A third keep
    only their last 60 weeks (too short for a 52-week season in cross-validation) and two only
    their last 6 (too short to select), so every kind of plan and most candidates occur.
    """
    raw = pd.read_csv(path, dtype={"unique_id": str})
    table = prepare_table(raw.rename(columns={"week": "ds"}))
    by_class: dict[str, list[str]] = {}
    for row, uid in enumerate(table.ids):
        by_class.setdefault(classify(table.series(row)).demand_class.value, []).append(uid)
    wanted = {**MAN_CLASSES, "no_demand": MAN_NO_DEMAND}
    keep = sorted(uid for name, count in wanted.items() for uid in by_class[name][:count])
    frame = raw[raw["unique_id"].isin(keep)]
    rank = frame["unique_id"].map({uid: n for n, uid in enumerate(keep)})
    last = frame.groupby("unique_id")["week"].transform("max")
    weeks = frame["week"]
    frame = frame[((rank % 3 != 1) | (weeks > last - 60)) & ((rank % 29 != 2) | (weeks > last - 6))]
    monday = np.datetime64("2015-01-05") + (frame["week"].to_numpy() - 1) * np.timedelta64(7, "D")
    return pd.DataFrame(
        {
            "unique_id": frame["unique_id"].to_numpy(),
            "ds": monday.astype("datetime64[D]").astype(str),
            "y": frame["y"].to_numpy(),
        }
    )
