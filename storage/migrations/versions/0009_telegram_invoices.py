"""telegram invoices: an outbox message may be an invoice; a payment's Telegram charge id is booked once

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice', sa.JSON(), nullable=True))
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.add_column(sa.Column('charge_id', sa.String(length=128), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_ledger_charge_id'), ['charge_id'])


def downgrade() -> None:
    with op.batch_alter_table('ledger', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_ledger_charge_id'), type_='unique')
        batch_op.drop_column('charge_id')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('invoice')
