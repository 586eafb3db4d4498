"""Programme, geography, networks, people, roles, and the permission rules (rules.py)."""
