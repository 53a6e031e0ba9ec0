"""A serving process upgrades its database in a child process, so Alembic's modules never
take memory in it (the reporting service's budget is 256 MB)."""

import sqlite3
import subprocess
import sys

import pytest
from alembic.script import ScriptDirectory

from iq_runtime.migrations import MigrationFailed, alembic_config, upgrade_apart

MIGRATIONS = "services/fair-integration/migrations"


def test_the_child_brings_the_database_to_the_newest_revision(tmp_path):
    url = f"sqlite:///{tmp_path}/fair.db"
    upgrade_apart(MIGRATIONS, url)
    with sqlite3.connect(tmp_path / "fair.db") as db:
        (revision,) = db.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert revision == ScriptDirectory.from_config(alembic_config(MIGRATIONS, url)).get_current_head()
    assert "outbox" in tables
    upgrade_apart(MIGRATIONS, url)  # at head already: nothing to do, no error


def test_a_failed_upgrade_raises_with_the_childs_reason(tmp_path):
    with pytest.raises(MigrationFailed, match="ArgumentError: Could not parse SQLAlchemy URL"):
        upgrade_apart(MIGRATIONS, "not a database url")


def test_a_database_that_does_not_answer_is_named_with_the_drivers_reason(postgres_url):
    missing = postgres_url.rpartition("/")[0] + "/iq_no_such_database"
    with pytest.raises(MigrationFailed) as failed:
        upgrade_apart(MIGRATIONS, missing)
    # the driver's first line, not SQLAlchemy's closing pointer to its documentation
    assert 'database "iq_no_such_database" does not exist' in str(failed.value)
    assert "sqlalche.me" not in str(failed.value)


def test_a_serving_process_never_imports_alembic(tmp_path):
    # a fresh interpreter: the test run has Alembic loaded (conftest.py)
    probe = (
        "import sys\n"
        "import iq_fair_integration.bootstrap, iq_reporting.bootstrap\n"
        "from iq_runtime.migrations import upgrade_before_serving\n"
        f"upgrade_before_serving({MIGRATIONS!r}, 'sqlite:///{tmp_path}/fair.db')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert (tmp_path / "fair.db").exists()
