"""incidents and notices: a report may be linked to its fault's parent ticket; staff's estate-wide notices

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tickets_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_tickets_parent_id_tickets'), 'tickets', ['parent_id'], ['id'])
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.String(length=64), nullable=False),
    sa.Column('building', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['estate_id'], ['estates.id'], name=op.f('fk_notices_estate_id_estates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notices_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notices_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_expires_at'))
        batch_op.drop_index(batch_op.f('ix_notices_estate_id'))
    op.drop_table('notices')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tickets_parent_id_tickets'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tickets_parent_id'))
        batch_op.drop_column('parent_id')
