"""The numpydoc examples of the simulation engine run and hold."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from tandem.planning.simulation import beer_game, bullwhip, engine


@pytest.mark.parametrize("module", [beer_game, bullwhip, engine], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module: ModuleType) -> None:
    outcome = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert outcome.failed == 0
    assert outcome.attempted >= 2
