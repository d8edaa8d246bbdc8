"""The docstring examples of the inventory engines run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "tandem.planning.inventory.loss",
    "tandem.planning.inventory.demand",
    "tandem.planning.inventory.newsvendor",
    "tandem.planning.inventory.eoq",
    "tandem.planning.inventory.rq",
    "tandem.planning.inventory.ss",
    "tandem.planning.inventory.service",
    "tandem.planning.inventory.wagner_whitin",
]


@pytest.mark.parametrize("name", MODULES)
def test_inventory_docstring_examples_pass(name: str) -> None:
    outcome = doctest.testmod(importlib.import_module(name))
    assert outcome.attempted > 0
    assert outcome.failed == 0
