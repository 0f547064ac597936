"""Benchmarks of the course's code: `make bench` (python -m benchmarks) prints every table."""
