"""Concrete adapters: SQL storage, in-memory twins, file formats, password hashing."""

# The flow and signal tables join the shared metadata whenever any adapter is imported.
from tandem.adapters import beer_game_tables as beer_game_tables
from tandem.adapters import calendar_tables as calendar_tables
from tandem.adapters import coordination_tables as coordination_tables
from tandem.adapters import flow_tables as flow_tables
from tandem.adapters import forecast_tables as forecast_tables
from tandem.adapters import logistics_tables as logistics_tables
from tandem.adapters import planning_tables as planning_tables
from tandem.adapters import production_tables as production_tables
from tandem.adapters import risk_tables as risk_tables
from tandem.adapters import signal_tables as signal_tables
from tandem.adapters import twin_tables as twin_tables
