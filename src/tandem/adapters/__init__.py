"""Concrete adapters: SQL storage, in-memory twins, file formats, password hashing."""

# The flow and signal tables join the shared metadata whenever any adapter is imported.
from tandem.adapters import coordination_tables as coordination_tables
from tandem.adapters import flow_tables as flow_tables
from tandem.adapters import forecast_tables as forecast_tables
from tandem.adapters import signal_tables as signal_tables
