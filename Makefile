# Two commands on a new machine: `make run` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint check-system messages clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ").")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: install python3-venv (Debian/Ubuntu: apt-get install python3-venv)."; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

check-system: $(STAMP)
	@$(BIN)/python scripts/check_system.py

# The portal on http://127.0.0.1:8000: SQLite in var/, Celery tasks in process, demo data.
run: check-system
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole test suite. With DATABASE_URL and CELERY_BROKER_URL set it runs against
# PostgreSQL and Redis; with CI=true a missing service fails the run instead of skipping.
# TEST_PROCESSES test processes (pytest-xdist), each with its own test database, broker
# database and var/ folder, share the files between them; TEST_PROCESSES=0 runs in one.
TEST_PROCESSES ?= 2
test: check-system
	$(BIN)/pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# Refresh the catalogues (nb, pt, es, it) after changing user-facing strings.
messages: $(STAMP)
	DEBUG=true $(BIN)/python manage.py makemessages --locale nb --locale pt --locale es --locale it --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var
