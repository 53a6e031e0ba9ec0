"""imported source ids keyed by kind of record and region too: advice sessions and contact points (and each
region's tool) numbered alike in the old tools no longer stop each other's rows

Revision ID: 0004
Revises: 0003
"""

from alembic import op

from iq_runtime.bulk_import import key_imported_records_by_kind, unkey_imported_records

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    key_imported_records_by_kind(op)


def downgrade() -> None:
    unkey_imported_records(op)
