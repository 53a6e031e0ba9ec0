"""imported source ids keyed by kind of record and region too: advice sessions, group events and referrals (and each
region's tool) numbered alike in the old tools no longer stop each other's rows

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from iq_runtime.bulk_import import key_imported_records_by_kind, unkey_imported_records

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    key_imported_records_by_kind(op)


def downgrade() -> None:
    unkey_imported_records(op)
