"""The ``tandem`` command line (Typer + Rich), one command group per context."""
