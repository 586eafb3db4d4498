"""gunicorn's settings for the benches: the project's gunicorn.conf.py logs every request to
stdout, which the benches do not measure; here nothing but warnings."""

accesslog = None
loglevel = "warning"
