"""record_states.earlier: a record's versions before its current one, as [recorded_at,
contribution] in recording order, so a version that arrives out of order (a repair, a partial
replay) is folded in at its place (projector.apply). NULL for states written before: their
earlier versions are unknown, and a version arriving between two of them is skipped as before.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("record_states", sa.Column("earlier", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("record_states", "earlier")
