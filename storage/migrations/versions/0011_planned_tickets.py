"""planned tickets: preventive maintenance staff schedule for a recurring problem, opened by the scheduler on its day

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('planned_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.String(length=64), nullable=False),
    sa.Column('building', sa.String(length=32), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=True),
    sa.Column('room', sa.String(length=32), nullable=True),
    sa.Column('area', sa.String(length=200), nullable=True),
    sa.Column('common_area', sa.Boolean(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_ticket_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_ticket_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['people.id'], name=op.f('fk_planned_tickets_created_by_people')),
    sa.ForeignKeyConstraint(['estate_id'], ['estates.id'], name=op.f('fk_planned_tickets_estate_id_estates')),
    sa.ForeignKeyConstraint(['opened_ticket_id'], ['tickets.id'],
                            name=op.f('fk_planned_tickets_opened_ticket_id_tickets')),
    sa.ForeignKeyConstraint(['source_ticket_id'], ['tickets.id'],
                            name=op.f('fk_planned_tickets_source_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_tickets')),
    sa.UniqueConstraint('opened_ticket_id', name=op.f('uq_planned_tickets_opened_ticket_id'))
    )
    with op.batch_alter_table('planned_tickets', schema=None) as batch_op:
        batch_op.create_index('ix_planned_tickets_due', ['opened_ticket_id', 'cancelled_at', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_planned_tickets_estate_id'), ['estate_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('planned_tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_tickets_estate_id'))
        batch_op.drop_index('ix_planned_tickets_due')
    op.drop_table('planned_tickets')
