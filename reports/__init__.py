"""Report requests rendered to PDF by Celery. Built by the reports issue."""
