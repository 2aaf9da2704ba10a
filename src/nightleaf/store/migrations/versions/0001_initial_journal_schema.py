"""initial journal schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-24 22:05:19.722095
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    op.create_table('condition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_condition_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_condition'))
    )
    op.create_table('medicine',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('dose_text', sa.String(length=200), nullable=True),
    sa.Column('regimen', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("regimen IN ('regular', 'as_needed')", name=op.f('ck_medicine_regimen')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_medicine_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medicine'))
    )
    op.create_table('note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_note_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note'))
    )
    op.create_table('pain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('context', sa.String(length=16), nullable=False),
    sa.Column('nrs', sa.Integer(), nullable=False),
    sa.Column('peg_pain', sa.Integer(), nullable=True),
    sa.Column('peg_enjoyment', sa.Integer(), nullable=True),
    sa.Column('peg_activity', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint('nrs BETWEEN 0 AND 10', name=op.f('ck_pain_nrs')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_pain_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pain'))
    )
    with op.batch_alter_table('pain', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pain_person_id_night'), ['person_id', 'night'], unique=False)

    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('vendor', sa.String(length=200), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('vein', sa.String(length=16), nullable=False),
    sa.Column('form', sa.String(length=16), nullable=False),
    sa.Column('capsule_mg', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_product_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product')),
    sa.UniqueConstraint('person_id', 'name', name=op.f('uq_product_person_id_name'))
    )
    op.create_table('profile',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=16), nullable=True),
    sa.Column('target_bedtime', sa.String(length=5), nullable=False),
    sa.Column('lead_minutes', sa.Integer(), nullable=False),
    sa.Column('target_wake', sa.String(length=5), nullable=True),
    sa.Column('max_grams_per_night', sa.Float(), nullable=True),
    sa.Column('max_nights_per_week', sa.Integer(), nullable=True),
    sa.Column('work_days', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.CheckConstraint('lead_minutes >= 0 AND lead_minutes <= 240', name=op.f('ck_profile_lead_minutes')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_profile_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_profile'))
    )
    op.create_table('routine_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('minutes_before_bed', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_routine_item_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routine_item'))
    )
    op.create_table('sleep_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('into_bed', sa.DateTime(), nullable=True),
    sa.Column('tried_to_sleep', sa.DateTime(), nullable=True),
    sa.Column('sol_minutes', sa.Float(), nullable=True),
    sa.Column('awakenings', sa.Integer(), nullable=True),
    sa.Column('waso_minutes', sa.Float(), nullable=True),
    sa.Column('final_awakening', sa.DateTime(), nullable=True),
    sa.Column('out_of_bed', sa.DateTime(), nullable=True),
    sa.Column('woke_early_minutes', sa.Float(), nullable=True),
    sa.Column('quality', sa.Integer(), nullable=True),
    sa.Column('rested', sa.Integer(), nullable=True),
    sa.Column('nap_count', sa.Integer(), nullable=True),
    sa.Column('nap_minutes', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint('quality IS NULL OR (quality BETWEEN 1 AND 5)', name=op.f('ck_sleep_entry_quality')),
    sa.CheckConstraint('rested IS NULL OR (rested BETWEEN 1 AND 5)', name=op.f('ck_sleep_entry_rested')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_sleep_entry_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sleep_entry')),
    sa.UniqueConstraint('person_id', 'night', name=op.f('uq_sleep_entry_person_id_night'))
    )
    op.create_table('sleep_episode',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=False),
    sa.Column('start', sa.DateTime(), nullable=False),
    sa.Column('end', sa.DateTime(), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('device', sa.String(length=200), nullable=True),
    sa.Column('tst_minutes', sa.Float(), nullable=True),
    sa.Column('sol_minutes', sa.Float(), nullable=True),
    sa.Column('waso_minutes', sa.Float(), nullable=True),
    sa.Column('awakenings', sa.Integer(), nullable=True),
    sa.Column('is_nap', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_sleep_episode_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sleep_episode')),
    sa.UniqueConstraint('person_id', 'source', 'external_id', name=op.f('uq_sleep_episode_person_id_source_external_id'))
    )
    with op.batch_alter_table('sleep_episode', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sleep_episode_person_id_night'), ['person_id', 'night'], unique=False)

    op.create_table('substance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('amount', sa.Float(), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_substance_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_substance'))
    )
    with op.batch_alter_table('substance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_substance_person_id_night'), ['person_id', 'night'], unique=False)

    op.create_table('symptom',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('severity', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint('severity BETWEEN 0 AND 4', name=op.f('ck_symptom_severity')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_symptom_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_symptom'))
    )
    with op.batch_alter_table('symptom', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_symptom_person_id_night'), ['person_id', 'night'], unique=False)

    op.create_table('batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot', sa.String(length=200), nullable=True),
    sa.Column('purchased_on', sa.Date(), nullable=True),
    sa.Column('mitragynine_pct', sa.Float(), nullable=True),
    sa.Column('seven_oh_pct', sa.Float(), nullable=True),
    sa.Column('lab', sa.String(length=200), nullable=True),
    sa.Column('test_date', sa.Date(), nullable=True),
    sa.Column('heavy_metals', sa.String(length=8), nullable=False),
    sa.Column('microbial', sa.String(length=8), nullable=False),
    sa.Column('pesticides', sa.String(length=8), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint('mitragynine_pct IS NULL OR (mitragynine_pct >= 0 AND mitragynine_pct <= 100)', name=op.f('ck_batch_mitragynine_pct')),
    sa.CheckConstraint('seven_oh_pct IS NULL OR (seven_oh_pct >= 0 AND seven_oh_pct <= 100)', name=op.f('ck_batch_seven_oh_pct')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_batch_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_batch_product_id_product'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch'))
    )
    op.create_table('routine_check',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['routine_item.id'], name=op.f('fk_routine_check_item_id_routine_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_routine_check_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'night', name=op.f('pk_routine_check'))
    )
    op.create_table('sleep_stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('episode_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.DateTime(), nullable=False),
    sa.Column('end', sa.DateTime(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['episode_id'], ['sleep_episode.id'], name=op.f('fk_sleep_stage_episode_id_sleep_episode'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sleep_stage'))
    )
    with op.batch_alter_table('sleep_stage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sleep_stage_episode_id'), ['episode_id'], unique=False)

    op.create_table('intake',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=False),
    sa.Column('night', sa.Date(), nullable=False),
    sa.Column('amount_value', sa.Float(), nullable=False),
    sa.Column('amount_unit', sa.String(length=16), nullable=False),
    sa.Column('capsule_mg', sa.Float(), nullable=True),
    sa.Column('tea_grams', sa.Float(), nullable=True),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('mitragynine_mg', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint('amount_value > 0', name=op.f('ck_intake_amount_positive')),
    sa.ForeignKeyConstraint(['batch_id'], ['batch.id'], name=op.f('fk_intake_batch_id_batch'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_intake_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], name=op.f('fk_intake_product_id_product'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake'))
    )
    with op.batch_alter_table('intake', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intake_person_id_night'), ['person_id', 'night'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('intake', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_intake_person_id_night'))

    op.drop_table('intake')
    with op.batch_alter_table('sleep_stage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sleep_stage_episode_id'))

    op.drop_table('sleep_stage')
    op.drop_table('routine_check')
    op.drop_table('batch')
    with op.batch_alter_table('symptom', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_symptom_person_id_night'))

    op.drop_table('symptom')
    with op.batch_alter_table('substance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_substance_person_id_night'))

    op.drop_table('substance')
    with op.batch_alter_table('sleep_episode', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sleep_episode_person_id_night'))

    op.drop_table('sleep_episode')
    op.drop_table('sleep_entry')
    op.drop_table('routine_item')
    op.drop_table('profile')
    op.drop_table('product')
    with op.batch_alter_table('pain', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pain_person_id_night'))

    op.drop_table('pain')
    op.drop_table('note')
    op.drop_table('medicine')
    op.drop_table('condition')
    op.drop_table('person')
