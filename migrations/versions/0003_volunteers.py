"""volunteers: stations, slots and exceptions, volunteers, shifts, weekly slots, standby offers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 09:59:54.268207
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('volunteers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=64), nullable=False),
    sa.Column('openid', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('building', sa.String(length=32), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('openid')
    )
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteers_committee'), ['committee'], unique=False)

    op.create_table('stations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name='fk_stations_staff_id_staff'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('committee', 'code')
    )
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stations_committee'), ['committee'], unique=False)

    op.create_table('shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('booked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('checked_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('check_in_method', sa.String(length=16), nullable=False),
    sa.Column('check_out_method', sa.String(length=16), nullable=False),
    sa.Column('reminded_eve_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_soon_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name='fk_shifts_station_id_stations'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name='fk_shifts_volunteer_id_volunteers'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('volunteer_id', 'station_id', 'day', 'number')
    )
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shifts_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_shifts_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_shifts_volunteer_id'), ['volunteer_id'], unique=False)

    op.create_table('slot_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name='fk_slot_counts_station_id_stations'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('station_id', 'day', 'number')
    )
    op.create_table('slot_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name='fk_slot_exceptions_station_id_stations'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('station_id', 'day', 'number')
    )
    with op.batch_alter_table('slot_exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slot_exceptions_station_id'), ['station_id'], unique=False)

    op.create_table('slot_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('name_en', sa.String(length=32), nullable=False),
    sa.Column('starts', sa.String(length=5), nullable=False),
    sa.Column('ends', sa.String(length=5), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name='fk_slot_plans_station_id_stations'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('station_id', 'number')
    )
    with op.batch_alter_table('slot_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slot_plans_station_id'), ['station_id'], unique=False)

    op.create_table('standby_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('taken_by', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name='fk_standby_offers_station_id_stations'),
    sa.ForeignKeyConstraint(['taken_by'], ['volunteers.id'], name='fk_standby_offers_taken_by_volunteers'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('station_id', 'day', 'number')
    )
    op.create_table('weekly_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['stations.id'], name='fk_weekly_slots_station_id_stations'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteers.id'], name='fk_weekly_slots_volunteer_id_volunteers'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('volunteer_id', 'station_id', 'weekday', 'number')
    )
    with op.batch_alter_table('weekly_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_weekly_slots_volunteer_id'), ['volunteer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('weekly_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_weekly_slots_volunteer_id'))

    op.drop_table('weekly_slots')
    op.drop_table('standby_offers')
    with op.batch_alter_table('slot_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slot_plans_station_id'))

    op.drop_table('slot_plans')
    with op.batch_alter_table('slot_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slot_exceptions_station_id'))

    op.drop_table('slot_exceptions')
    op.drop_table('slot_counts')
    with op.batch_alter_table('shifts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shifts_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_shifts_starts_at'))
        batch_op.drop_index(batch_op.f('ix_shifts_day'))

    op.drop_table('shifts')
    with op.batch_alter_table('stations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stations_committee'))

    op.drop_table('stations')
    with op.batch_alter_table('volunteers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteers_committee'))

    op.drop_table('volunteers')
