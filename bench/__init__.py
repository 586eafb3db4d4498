"""The bench: key figures at European scale, timed (see README.md)."""
