"""Who may import key figures. Reading them follows the municipality's and the network's
rules in networks/rules.py."""

import rules

from networks.rules import is_administrator, is_facilitator

rules.add_perm("benchmarking.import_keyfigures", is_administrator | is_facilitator)
