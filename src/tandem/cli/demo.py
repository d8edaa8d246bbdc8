"""``tandem demo``: load the sample coffee network into the database and serve it."""

from __future__ import annotations
