"""Pure planning engines: arrays and dataclasses in, frozen results out."""
