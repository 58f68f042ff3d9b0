"""outbox: find a chat's open messages by index, not by walking its whole history

The sender may claim a message only when no earlier message of its chat is still open. The old index
(chat_id, id) made that check read every message the chat was ever sent, so each claim grew with the history:
the staff group, told of every new ticket, had hundreds, and a claim took 17 ms at the end of a 2,500-update
load run and more after. With the status in the index the check seeks to the chat's open messages alone
(0.25 ms on the same data).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_chat')
        batch_op.create_index('ix_outbox_chat_open', ['chat_id', 'status', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_chat_open')
        batch_op.create_index('ix_outbox_chat', ['chat_id', 'id'], unique=False)
