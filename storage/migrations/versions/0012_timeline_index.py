"""timeline index: /stats groups each ticket's events by ticket; (ticket_id, action, at) covers that read

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_ticket_events_timeline', 'ticket_events', ['ticket_id', 'action', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_ticket_events_timeline', table_name='ticket_events')
