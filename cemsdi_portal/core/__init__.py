"""Small shared pieces: the health check, template tags. Keep it small."""
