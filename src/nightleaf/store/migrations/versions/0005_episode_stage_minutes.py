"""sleep_episode: the file's own minutes per stage (issue 13)

Oura states deep, light and REM sleep and awake time in seconds; the 5-minute hypnogram only
approximates them. Four nullable columns keep the file's figures; rows of other sources and
episodes imported before this revision keep them null (the metrics then add up the stage
segments, as before).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:10:00
"""
import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_COLUMNS = ('deep_minutes', 'light_minutes', 'rem_minutes', 'awake_minutes')


def upgrade() -> None:
    with op.batch_alter_table('sleep_episode', schema=None) as batch_op:
        for name in _COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sleep_episode', schema=None) as batch_op:
        for name in reversed(_COLUMNS):
            batch_op.drop_column(name)
