"""staff, roster, calendar and ticket routing

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 09:36:52.345077
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=64), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('committee', 'day')
    )
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_days_committee'), ['committee'], unique=False)

    op.create_table('opening_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=64), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.String(length=5), nullable=False),
    sa.Column('closes', sa.String(length=5), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('opening_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opening_hours_committee'), ['committee'], unique=False)

    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('openid', sa.String(length=64), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('is_director', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('committee', 'name'),
    sa.UniqueConstraint('openid')
    )
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_committee'), ['committee'], unique=False)

    op.create_table('binding_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_hash')
    )
    with op.batch_alter_table('binding_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_binding_codes_staff_id'), ['staff_id'], unique=False)

    op.create_table('duty_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('staff_id', 'day')
    )
    with op.batch_alter_table('duty_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_changes_staff_id'), ['staff_id'], unique=False)

    op.create_table('duty_patterns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('staff_id', 'weekday')
    )
    with op.batch_alter_table('duty_patterns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_patterns_staff_id'), ['staff_id'], unique=False)

    op.create_table('staff_buildings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee', sa.String(length=64), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('building', sa.String(length=32), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('committee', 'building')
    )
    with op.batch_alter_table('staff_buildings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_buildings_staff_id'), ['staff_id'], unique=False)

    op.create_table('staff_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=1), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('staff_id', 'line')
    )
    with op.batch_alter_table('staff_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_lines_staff_id'), ['staff_id'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.String(length=16), nullable=False, server_default='staff'))

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('building', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('rating', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tickets_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_foreign_key('fk_tickets_assignee_id_staff', 'staff', ['assignee_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        # WARNING: constraint name is None; this directive will fail as
        # rendered.  Add a name, or use a naming convention; see
        # https://alembic.sqlalchemy.org/en/latest/naming.html
        batch_op.drop_constraint('fk_tickets_assignee_id_staff', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tickets_assignee_id'))
        batch_op.drop_column('rating')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('accepted_at')
        batch_op.drop_column('due_at')
        batch_op.drop_column('assignee_id')
        batch_op.drop_column('building')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('audience')

    with op.batch_alter_table('staff_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_lines_staff_id'))

    op.drop_table('staff_lines')
    with op.batch_alter_table('staff_buildings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_buildings_staff_id'))

    op.drop_table('staff_buildings')
    with op.batch_alter_table('duty_patterns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_patterns_staff_id'))

    op.drop_table('duty_patterns')
    with op.batch_alter_table('duty_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_changes_staff_id'))

    op.drop_table('duty_changes')
    with op.batch_alter_table('binding_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_binding_codes_staff_id'))

    op.drop_table('binding_codes')
    with op.batch_alter_table('staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_committee'))

    op.drop_table('staff')
    with op.batch_alter_table('opening_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opening_hours_committee'))

    op.drop_table('opening_hours')
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_days_committee'))

    op.drop_table('calendar_days')
