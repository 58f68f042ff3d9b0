"""seen updates: the replay guard's record moves out of chat_states into its own table, one row per update

The guard wrote the chat's last 100 update ids as one JSON row, read and rewritten on every update (two
transactions); a row per update is one INSERT that tells whether it was there. The ids recorded so far move
over, so an update seen before the upgrade is still recognised after it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

SEEN_KIND = 'seen_updates'


def upgrade() -> None:
    seen = op.create_table('seen_updates',
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('update_id', sa.BigInteger(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('chat_id', 'update_id', name=op.f('pk_seen_updates'))
    )
    with op.batch_alter_table('seen_updates', schema=None) as batch_op:
        batch_op.create_index('ix_seen_updates_seen_at', ['seen_at'], unique=False)
    states = sa.table('chat_states', sa.column('chat_id', sa.BigInteger()), sa.column('kind', sa.String()),
                      sa.column('data', sa.JSON()))
    connection = op.get_bind()
    now = datetime.now(timezone.utc)
    rows = [{'chat_id': chat_id, 'update_id': int(update_id), 'seen_at': now}
            for chat_id, data in connection.execute(sa.select(states.c.chat_id, states.c.data)
                                                    .where(states.c.kind == SEEN_KIND))
            for update_id in dict.fromkeys((data or {}).get('ids', []))]
    if rows:
        op.bulk_insert(seen, rows)
    connection.execute(sa.delete(states).where(states.c.kind == SEEN_KIND))


def downgrade() -> None:
    with op.batch_alter_table('seen_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_seen_updates_seen_at')
    op.drop_table('seen_updates')
