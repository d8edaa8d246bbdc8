"""Run every benchmark module (bench/bench_*.py) and print its table."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path


def main(selected: list[str]) -> None:
    here = Path(__file__).parent
    names = sorted(p.stem for p in here.glob("bench_*.py"))
    for name in names:
        if selected and not any(s in name for s in selected):
            continue
        print(f"\n=== {name} ===", flush=True)
        module = importlib.import_module(f"bench.{name}")
        module.main()


if __name__ == "__main__":
    main(sys.argv[1:])
