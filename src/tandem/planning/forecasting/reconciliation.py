"""Hierarchical reconciliation of point forecasts (e.g. item-site → item → family → total).

Forecasts made independently at every level do not add up. With the summing matrix ``S`` (one row
per node, one column per bottom series, 1 where the bottom series belongs to the node) and the
base forecasts ``ŷ`` of every node, a reconciled forecast is ``S P ŷ``:

* ``BOTTOM_UP``: ``P`` picks the bottom forecasts; aggregates are their sums.
* ``OLS``: ``P = (SᵀS)⁻¹Sᵀ`` (Hyndman, Ahmed, Athanasopoulos & Shang 2011, "Optimal combination
  forecasts for hierarchical time series", *CSDA* 55(9)).
* ``WLS_STRUCTURAL``: ``P = (SᵀΛ⁻¹S)⁻¹SᵀΛ⁻¹`` with ``Λ = diag(S 1)``, the number of bottom
  series under each node (Athanasopoulos, Hyndman, Kourentzes & Petropoulos 2017, *EJOR* 262(1));
  the MinT estimator of Wickramasuriya, Athanasopoulos & Hyndman (2019, *JASA* 114(526)) with
  the structural variance assumption, which needs no residuals.
* ``MINT_SHRINK``: ``P = (SᵀW⁻¹S)⁻¹SᵀW⁻¹`` with ``W`` the covariance of the base forecasts'
  errors, shrunk towards its diagonal (Wickramasuriya, Athanasopoulos & Hyndman 2019, §2.4
  "MinT(Shrink)"): ``W = λ diag(Ŵ) + (1 − λ) Ŵ`` with ``Ŵ = EᵀE / T`` of the ``T × nodes`` error
  matrix ``E`` (errors taken as zero-mean, as in the authors' R package ``hts``) and the
  intensity ``λ = Σ_{i≠j} Var(r_ij) / Σ_{i≠j} r_ij²`` of Schäfer & Strimmer (2005, *Statistical
  Applications in Genetics and Molecular Biology* 4(1), art. 32), clipped to [0, 1]. Every
  node needs an error at every one of the ``T`` times, and a non-zero error somewhere.

Not done here: reconciled intervals, non-negativity of OLS/WLS/MinT results (they may dip
below zero; the caller may clip).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["Hierarchy", "ReconciliationMethod", "reconcile", "shrunk_covariance"]


class ReconciliationMethod(StrEnum):
    """How base forecasts are made coherent."""

    BOTTOM_UP = "bottom_up"
    OLS = "ols"
    WLS_STRUCTURAL = "wls_structural"
    MINT_SHRINK = "mint_shrink"


@dataclass(frozen=True, eq=False)
class Hierarchy:
    """Nodes of a hierarchy and its summing matrix.

    Attributes
    ----------
    nodes : tuple of str
        Aggregate nodes (sorted) then bottom series (sorted).
    bottom : tuple of str
    summing : numpy.ndarray, shape (nodes, bottom)
    """

    nodes: tuple[str, ...]
    bottom: tuple[str, ...]
    summing: NDArray[np.float64]

    @classmethod
    def from_parents(cls, parents: Mapping[str, Sequence[str]]) -> Hierarchy:
        """Build from each bottom series' ancestors, e.g. ``{"A@s1": ["A", "coffee", "total"]}``.

        Examples
        --------
        >>> h = Hierarchy.from_parents({"a1": ["a", "T"], "a2": ["a", "T"], "b1": ["T"]})
        >>> h.nodes
        ('T', 'a', 'a1', 'a2', 'b1')
        >>> h.summing.astype(int).tolist()
        [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]]
        """
        bottom = tuple(sorted(parents))
        aggregates = tuple(sorted({p for ps in parents.values() for p in ps}))
        clash = set(bottom) & set(aggregates)
        if clash:
            raise ValueError(f"nodes both bottom and aggregate: {sorted(clash)}")
        nodes = aggregates + bottom
        index = {name: n for n, name in enumerate(nodes)}
        summing = np.zeros((len(nodes), len(bottom)))
        for j, name in enumerate(bottom):
            summing[index[name], j] = 1.0
            for parent in parents[name]:
                summing[index[parent], j] = 1.0
        return cls(nodes, bottom, summing)


def shrunk_covariance(errors: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """The MinT(Shrink) covariance of a ``T × n`` error matrix and its shrinkage intensity.

    Examples
    --------
    Columns a = (1, −1, 2, −2), b = (1, 0, 1, 0): ``Ŵ = [[5/2, 3/4], [3/4, 1/2]]``,
    ``λ = 11/27``, so the covariance keeps ``16/27`` of the off-diagonal ``3/4``:

    >>> w, lam = shrunk_covariance(np.array([[1.0, 1], [-1, 0], [2, 1], [-2, 0]]))
    >>> round(lam * 27, 9), np.round(w * 9, 9).tolist()
    (11.0, [[22.5, 4.0], [4.0, 4.5]])
    """
    e = np.asarray(errors, dtype=np.float64)
    t = len(e)
    if t < 2:
        raise ValueError("a shrunk covariance needs errors at two times at least")
    covariance = e.T @ e / t
    spread = np.sqrt(np.diag(covariance))
    if not (spread > 0).all():
        raise ValueError("every node needs a non-zero error somewhere")
    standard = e / spread
    correlation = covariance / np.outer(spread, spread)
    variance = (standard.T**2 @ standard**2 - (standard.T @ standard) ** 2 / t) / (t * (t - 1))
    off = ~np.eye(len(covariance), dtype=bool)
    squared = float((correlation[off] ** 2).sum())
    lam = 1.0 if squared == 0 else min(max(float(variance[off].sum()) / squared, 0.0), 1.0)
    shrunk = lam * np.diag(np.diag(covariance)) + (1.0 - lam) * covariance
    return shrunk, lam


def _projection(
    summing: NDArray[np.float64],
    method: ReconciliationMethod,
    covariance: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """The matrix ``P`` (bottom × nodes)."""
    if method is ReconciliationMethod.BOTTOM_UP:
        k = summing.shape[1]
        return np.hstack([np.zeros((k, summing.shape[0] - k)), np.eye(k)])
    if covariance is not None:
        inverse_s = np.linalg.solve(covariance, summing)  # W⁻¹S
        return np.asarray(np.linalg.solve(summing.T @ inverse_s, inverse_s.T))
    weights = (
        np.ones(summing.shape[0])
        if method is ReconciliationMethod.OLS
        else 1.0 / summing.sum(axis=1)
    )
    weighted = summing.T * weights
    return np.asarray(np.linalg.solve(weighted @ summing, weighted))


def _errors(residuals: pd.DataFrame | None, hierarchy: Hierarchy) -> NDArray[np.float64]:
    if residuals is None:
        raise ValueError("MinT(Shrink) needs the residuals (unique_id, ds, error) of every node")
    wide = residuals.pivot(index="ds", columns="unique_id", values="error")
    missing = [n for n in hierarchy.nodes if n not in wide.columns]
    if missing:
        raise ValueError(f"no residuals for node(s) {missing[:10]}")
    errors: NDArray[np.float64] = wide.reindex(columns=list(hierarchy.nodes)).to_numpy(
        dtype=np.float64
    )
    if np.isnan(errors).any():
        raise ValueError("every node needs a residual for every ds of the residuals")
    return errors


def reconcile(
    forecasts: pd.DataFrame,
    hierarchy: Hierarchy,
    method: ReconciliationMethod,
    residuals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Coherent forecasts of every node from base forecasts ``unique_id, ds, forecast``.

    Every node needs a forecast for every ``ds`` (bottom-up needs only the bottom series).
    ``MINT_SHRINK`` also needs ``residuals``: ``unique_id, ds, error`` (forecast − actual) of
    every node at the same times (in-sample or cross-validation errors).

    Examples
    --------
    >>> h = Hierarchy.from_parents({"a": ["T"], "b": ["T"]})
    >>> base = pd.DataFrame({"unique_id": ["T", "a", "b"], "ds": 1, "forecast": [12.0, 4.0, 5.0]})
    >>> reconcile(base, h, ReconciliationMethod.BOTTOM_UP)["forecast"].tolist()
    [9.0, 4.0, 5.0]
    >>> reconcile(base, h, ReconciliationMethod.OLS)["forecast"].tolist()
    [11.0, 5.0, 6.0]
    """
    needed = hierarchy.bottom if method is ReconciliationMethod.BOTTOM_UP else hierarchy.nodes
    wide = forecasts.pivot(index="ds", columns="unique_id", values="forecast")
    missing = [n for n in needed if n not in wide.columns]
    if missing:
        raise ValueError(f"no base forecast for node(s) {missing[:10]}")
    base = wide.reindex(columns=list(hierarchy.nodes)).to_numpy(dtype=np.float64)
    if method is ReconciliationMethod.BOTTOM_UP:
        base = np.nan_to_num(base)
    elif np.isnan(base).any():
        raise ValueError("every node needs a forecast for every ds")
    covariance = (
        shrunk_covariance(_errors(residuals, hierarchy))[0]
        if method is ReconciliationMethod.MINT_SHRINK
        else None
    )
    projection = _projection(hierarchy.summing, method, covariance)
    coherent = base @ (hierarchy.summing @ projection).T
    out = pd.DataFrame(coherent, index=wide.index, columns=list(hierarchy.nodes))
    long = out.reset_index().melt(id_vars="ds", var_name="unique_id", value_name="forecast")
    order = {name: n for n, name in enumerate(hierarchy.nodes)}
    long["_node"] = long["unique_id"].map(order)
    long = long.sort_values(["_node", "ds"], kind="stable").drop(columns="_node")
    return long[["unique_id", "ds", "forecast"]].reset_index(drop=True)
