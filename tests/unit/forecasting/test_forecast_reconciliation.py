"""Hierarchical reconciliation: bottom-up, OLS and structural WLS on a hand-sized hierarchy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tandem.planning.forecasting import Hierarchy, ReconciliationMethod, reconcile

# item-site -> item -> total
PARENTS = {"A@1": ["A", "T"], "A@2": ["A", "T"], "B@1": ["B", "T"]}


def _base(values: dict[str, list[float]]) -> pd.DataFrame:
    rows = [(node, ds, v) for node, vs in values.items() for ds, v in enumerate(vs, start=1)]
    return pd.DataFrame(rows, columns=["unique_id", "ds", "forecast"])


BASE = _base({"T": [20.0, 22.0], "A": [12.0, 12.0], "B": [5.0, 6.0],
              "A@1": [4.0, 5.0], "A@2": [5.0, 5.0], "B@1": [6.0, 6.0]})  # fmt: skip


def _values(frame: pd.DataFrame) -> dict[str, list[float]]:
    return {k: g["forecast"].round(9).tolist() for k, g in frame.groupby("unique_id", sort=False)}


def test_bottom_up_sums_the_bottom_forecasts() -> None:
    out = reconcile(BASE, Hierarchy.from_parents(PARENTS), ReconciliationMethod.BOTTOM_UP)
    assert _values(out) == {
        "A": [9.0, 10.0], "B": [6.0, 6.0], "T": [15.0, 16.0],
        "A@1": [4.0, 5.0], "A@2": [5.0, 5.0], "B@1": [6.0, 6.0],
    }  # fmt: skip


def test_ols_matches_the_projection_worked_by_hand() -> None:
    # two nodes over two bottom series: S = [[1, 1], [1, 0], [0, 1]], base (12, 4, 5):
    # (S'S)^-1 S'y = [[2, -1], [-1, 2]] / 3 @ (16, 17) = (5, 6)
    hierarchy = Hierarchy.from_parents({"a": ["T"], "b": ["T"]})
    base = _base({"T": [12.0], "a": [4.0], "b": [5.0]})
    assert _values(reconcile(base, hierarchy, ReconciliationMethod.OLS)) == {
        "T": [11.0], "a": [5.0], "b": [6.0],
    }  # fmt: skip


@pytest.mark.parametrize("method", list(ReconciliationMethod))
def test_reconciled_forecasts_add_up(method: ReconciliationMethod) -> None:
    hierarchy = Hierarchy.from_parents(PARENTS)
    wide = reconcile(BASE, hierarchy, method).pivot(index="ds", columns="unique_id")["forecast"]
    np.testing.assert_allclose(wide["A"], wide["A@1"] + wide["A@2"])
    np.testing.assert_allclose(wide["B"], wide["B@1"])
    np.testing.assert_allclose(wide["T"], wide["A"] + wide["B"])


@pytest.mark.parametrize("method", [ReconciliationMethod.OLS, ReconciliationMethod.WLS_STRUCTURAL])
def test_coherent_forecasts_are_left_as_they_are(method: ReconciliationMethod) -> None:
    coherent = _base(
        {"T": [15.0], "A": [9.0], "B": [6.0], "A@1": [4.0], "A@2": [5.0], "B@1": [6.0]}
    )
    out = reconcile(coherent, Hierarchy.from_parents(PARENTS), method)
    np.testing.assert_allclose(
        out.set_index("unique_id")["forecast"].sort_index(),
        coherent.set_index("unique_id")["forecast"].sort_index(),
    )


def test_a_missing_node_forecast_is_refused_except_for_bottom_up() -> None:
    base = BASE[BASE["unique_id"] != "A"]
    hierarchy = Hierarchy.from_parents(PARENTS)
    with pytest.raises(ValueError, match=r"no base forecast for node\(s\) \['A'\]"):
        reconcile(base, hierarchy, ReconciliationMethod.OLS)
    assert len(reconcile(base, hierarchy, ReconciliationMethod.BOTTOM_UP)) == 12


def test_a_node_both_bottom_and_aggregate_is_refused() -> None:
    with pytest.raises(ValueError, match="both bottom and aggregate"):
        Hierarchy.from_parents({"a": ["b"], "b": ["T"]})
