"""The docstring examples of the multi-echelon engines run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "tandem.planning.meio.serial",
    "tandem.planning.meio.gsm.network",
    "tandem.planning.meio.gsm.tree",
    "tandem.planning.meio.gsm.mip",
    "tandem.planning.meio.gsm.optimizer",
    "tandem.planning.meio.gsm.willems",
]


@pytest.mark.parametrize("name", MODULES)
def test_meio_docstring_examples_pass(name: str) -> None:
    outcome = doctest.testmod(importlib.import_module(name))
    assert outcome.attempted > 0
    assert outcome.failed == 0
