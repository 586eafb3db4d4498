"""Strategy pages: the network's overview, the strategy, its sections and its action plan."""
