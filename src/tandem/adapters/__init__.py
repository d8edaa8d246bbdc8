"""Concrete adapters: SQL storage, in-memory twins, file formats, password hashing."""
