"""The community's pages, a module per part."""
