"""report keys on tickets (one ticket per submitted draft) and revoked invites

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_key', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_tickets_report_key'), ['report_key'])
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('invites', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_tickets_report_key'), type_='unique')
        batch_op.drop_column('report_key')
