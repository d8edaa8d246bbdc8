"""The docstring examples of the production-planning engines run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "tandem.planning.production.resources",
    "tandem.planning.production.mps",
    "tandem.planning.production.capacity",
]


@pytest.mark.parametrize("name", MODULES)
def test_production_docstring_examples_pass(name: str) -> None:
    outcome = doctest.testmod(importlib.import_module(name))
    assert outcome.attempted > 0
    assert outcome.failed == 0
