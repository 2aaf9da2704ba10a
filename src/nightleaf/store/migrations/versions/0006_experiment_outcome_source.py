"""experiment outcome source and the usual pain behind a 30 % MID (issue 12)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 13:20:00

``experiment.source``: where the sleep outcomes come from, "diary" (every experiment set up
before this revision) or one wearable source. ``experiment.mid_usual``: the person's usual
morning pain a "30 %" pain MID was computed from.
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('experiment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=64), server_default='diary',
                                      nullable=False))
        batch_op.add_column(sa.Column('mid_usual', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('experiment', schema=None) as batch_op:
        batch_op.drop_column('mid_usual')
        batch_op.drop_column('source')
