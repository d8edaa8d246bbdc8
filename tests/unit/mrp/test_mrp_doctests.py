"""The docstring examples of the MRP engine run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["tandem.planning.mrp.calendar", "tandem.planning.mrp.engine"]


@pytest.mark.parametrize("name", MODULES)
def test_mrp_docstring_examples_pass(name: str) -> None:
    outcome = doctest.testmod(importlib.import_module(name))
    assert outcome.attempted > 0
    assert outcome.failed == 0
