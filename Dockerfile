# One image for web (gunicorn), worker and beat (celery); see docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CEMSDI_VAR_DIR=/data \
    STATIC_ROOT=/app/staticfiles

# WeasyPrint renders the PDF reports with Pango and subsets their fonts with HarfBuzz's subset
# library; DejaVu is a fallback font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir . \
    && SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input \
    && useradd --create-home --uid 1000 cemsdi \
    && mkdir -p /data \
    && chown cemsdi:cemsdi /data

USER cemsdi
EXPOSE 8000
# gunicorn.conf.py: port 8000, WEB_CONCURRENCY workers (3), and a refusal to start several
# workers on SQLite (when DATABASE_URL is unset).
CMD ["gunicorn", "--config", "gunicorn.conf.py", "cemsdi_portal.wsgi"]
