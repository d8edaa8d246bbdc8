"""Concrete adapters: SQL storage, in-memory twins, file formats, password hashing."""

# The flow tables join the shared metadata whenever any adapter is imported.
from tandem.adapters import flow_tables as flow_tables
