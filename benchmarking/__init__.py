"""Indicators, observations, importers and comparisons. Built by the benchmarking issue."""
