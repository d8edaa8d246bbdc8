"""Tandem: an open digital supply chain platform."""

__version__ = "0.1.0"
