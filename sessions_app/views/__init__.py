"""Views of the gatherings app, one module per part of the page."""
