"""Pure model and rules of the supply network; no I/O."""
