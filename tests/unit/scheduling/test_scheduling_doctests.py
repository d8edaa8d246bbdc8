"""The docstring examples of the scheduling engines run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "tandem.planning.scheduling.problem",
    "tandem.planning.scheduling.cpsat",
    "tandem.planning.scheduling.ctp",
    "tandem.planning.scheduling.dispatching",
    "tandem.planning.scheduling.bounds",
    "tandem.planning.scheduling.lns",
]


@pytest.mark.parametrize("name", MODULES)
def test_scheduling_docstring_examples_pass(name: str) -> None:
    outcome = doctest.testmod(importlib.import_module(name))
    assert outcome.attempted > 0
    assert outcome.failed == 0
