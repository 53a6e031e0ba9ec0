"""source ids of bulk-imported records

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from iq_runtime.bulk_import import create_imported_records_table

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_imported_records_table(op)


def downgrade() -> None:
    op.drop_table("imported_records")
