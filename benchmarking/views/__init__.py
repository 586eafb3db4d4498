"""Views of the key-figures app: positions and tables (position.py), imports (upload.py)."""
