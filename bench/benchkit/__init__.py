"""Helpers for bench/run: building the C programs, starting servers and clients, workloads, the report."""
