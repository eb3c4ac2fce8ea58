"""National-scale benchmarks: `python -m benchmarks` (or `hyte bench`); never part of the tests."""
