"""The docstring examples of the logistics engines run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "tandem.planning.logistics.geo",
    "tandem.planning.logistics.loads",
    "tandem.planning.logistics.modes",
]


@pytest.mark.parametrize("name", MODULES)
def test_logistics_docstring_examples_pass(name: str) -> None:
    outcome = doctest.testmod(importlib.import_module(name))
    assert outcome.attempted > 0
    assert outcome.failed == 0
