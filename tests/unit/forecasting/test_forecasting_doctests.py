"""The docstring examples of the forecasting engine run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "tandem.planning.forecasting.accuracy",
    "tandem.planning.forecasting.backtest",
    "tandem.planning.forecasting.classification",
    "tandem.planning.forecasting.crossval",
    "tandem.planning.forecasting.engine",
    "tandem.planning.forecasting.intervals",
    "tandem.planning.forecasting.models",
    "tandem.planning.forecasting.reconciliation",
    "tandem.planning.forecasting.table",
]


@pytest.mark.parametrize("name", MODULES)
def test_forecasting_docstring_examples_pass(name: str) -> None:
    outcome = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert outcome.attempted > 0
    assert outcome.failed == 0
