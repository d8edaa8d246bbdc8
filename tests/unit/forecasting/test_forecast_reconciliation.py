"""Hierarchical reconciliation: bottom-up, OLS and structural WLS on a hand-sized hierarchy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tandem.planning.forecasting import Hierarchy, ReconciliationMethod, reconcile
from tandem.planning.forecasting.reconciliation import shrunk_covariance

# item-site -> item -> total
PARENTS = {"A@1": ["A", "T"], "A@2": ["A", "T"], "B@1": ["B", "T"]}


def _base(values: dict[str, list[float]]) -> pd.DataFrame:
    rows = [(node, ds, v) for node, vs in values.items() for ds, v in enumerate(vs, start=1)]
    return pd.DataFrame(rows, columns=["unique_id", "ds", "forecast"])


BASE = _base({"T": [20.0, 22.0], "A": [12.0, 12.0], "B": [5.0, 6.0],
              "A@1": [4.0, 5.0], "A@2": [5.0, 5.0], "B@1": [6.0, 6.0]})  # fmt: skip


def _errors(values: dict[str, list[float]]) -> pd.DataFrame:
    return _base(values).rename(columns={"forecast": "error"})


# correlated errors of every node at five times (for MinT(Shrink))
RESIDUALS = _errors({"T": [2.0, -1.0, 3.0, -2.0, 1.0], "A": [1.0, -1.0, 2.0, -1.0, 0.5],
                     "B": [1.0, 0.5, 1.0, -1.0, 0.5], "A@1": [0.5, -1.0, 1.0, 0.0, 0.5],
                     "A@2": [0.5, 0.5, 1.0, -1.0, -0.5],
                     "B@1": [1.0, 0.5, 1.0, -1.0, 0.5]})  # fmt: skip


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
    out = reconcile(BASE, hierarchy, method, RESIDUALS)
    wide = out.pivot(index="ds", columns="unique_id")["forecast"]
    np.testing.assert_allclose(wide["A"], wide["A@1"] + wide["A@2"])
    np.testing.assert_allclose(wide["B"], wide["B@1"])
    np.testing.assert_allclose(wide["T"], wide["A"] + wide["B"])


@pytest.mark.parametrize(
    "method",
    [
        ReconciliationMethod.OLS,
        ReconciliationMethod.WLS_STRUCTURAL,
        ReconciliationMethod.MINT_SHRINK,
    ],
)
def test_coherent_forecasts_are_left_as_they_are(method: ReconciliationMethod) -> None:
    coherent = _base(
        {"T": [15.0], "A": [9.0], "B": [6.0], "A@1": [4.0], "A@2": [5.0], "B@1": [6.0]}
    )
    out = reconcile(coherent, Hierarchy.from_parents(PARENTS), method, RESIDUALS)
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


def test_shrunk_covariance_matches_the_intensity_worked_by_hand() -> None:
    # a = (1, -1, 2, -2), b = (1, 0, 1, 0), T = 4, taken as zero-mean (as the R package hts):
    # W = E'E/T = [[10, 3], [3, 2]] / 4; r_ab = 0.75 / sqrt(2.5 * 0.5) = 3/sqrt(20), r² = 0.45.
    # Standardised columns give sum_t a²b² = 5 / 1.25 = 4 and (sum_t ab)² / T = 7.2 / 4 = 1.8,
    # so Var(r_ab) = (4 - 1.8) / (4 * 3) = 11/60 and lambda = (2 * 11/60) / (2 * 0.45) = 11/27.
    errors = np.array([[1.0, 1.0], [-1.0, 0.0], [2.0, 1.0], [-2.0, 0.0]])
    covariance, lam = shrunk_covariance(errors)
    assert lam == pytest.approx(11 / 27, rel=1e-12)
    np.testing.assert_allclose(covariance, [[2.5, 0.75 * 16 / 27], [0.75 * 16 / 27, 0.5]])


def test_mint_shrink_with_uncorrelated_errors_weighs_by_the_error_variances() -> None:
    # errors of T, a, b are orthogonal with mean squares 4, 1, 1: W = diag(4, 1, 1), and
    # P = (S'W^-1 S)^-1 S'W^-1 gives a, b = [[1.25, -.25], [-.25, 1.25]] / 1.5 @ (7, 8)
    # = (4.5, 5.5) from the base forecasts T = 12, a = 4, b = 5.
    hierarchy = Hierarchy.from_parents({"a": ["T"], "b": ["T"]})
    base = _base({"T": [12.0], "a": [4.0], "b": [5.0]})
    errors = _errors({"T": [2.0, -2.0, 2.0, -2.0], "a": [1.0, 1.0, -1.0, -1.0],
                      "b": [1.0, -1.0, -1.0, 1.0]})  # fmt: skip
    out = reconcile(base, hierarchy, ReconciliationMethod.MINT_SHRINK, errors)
    assert _values(out) == {"T": [10.0], "a": [4.5], "b": [5.5]}


def test_mint_shrink_needs_usable_residuals_of_every_node() -> None:
    hierarchy = Hierarchy.from_parents(PARENTS)
    mint = ReconciliationMethod.MINT_SHRINK
    with pytest.raises(ValueError, match=r"needs the residuals"):
        reconcile(BASE, hierarchy, mint)
    with pytest.raises(ValueError, match=r"no residuals for node\(s\) \['A'\]"):
        reconcile(BASE, hierarchy, mint, RESIDUALS[RESIDUALS["unique_id"] != "A"])
    with pytest.raises(ValueError, match="a residual for every ds"):
        reconcile(BASE, hierarchy, mint, RESIDUALS.drop(index=0))
    zero = RESIDUALS.assign(error=np.where(RESIDUALS["unique_id"] == "B", 0.0, RESIDUALS["error"]))
    with pytest.raises(ValueError, match="a non-zero error somewhere"):
        reconcile(BASE, hierarchy, mint, zero)
    with pytest.raises(ValueError, match="two times at least"):
        shrunk_covariance(np.ones((1, 3)))
