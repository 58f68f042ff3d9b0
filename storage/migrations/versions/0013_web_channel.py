"""web channel: sessions of signed-in browsers, the web chats' inbox and the files sent from the page

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('web_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('invite_code', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_chat_id'), ['chat_id'], unique=False)
    op.create_table('web_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('from_bot', sa.Boolean(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_messages'))
    )
    with op.batch_alter_table('web_messages', schema=None) as batch_op:
        batch_op.create_index('ix_web_messages_chat', ['chat_id', 'id'], unique=False)
        batch_op.create_index('ix_web_messages_seq', ['chat_id', 'seq'], unique=False)
    op.create_table('web_files',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('mime_type', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_files'))
    )
    with op.batch_alter_table('web_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_files_chat_id'), ['chat_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('web_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_files_chat_id'))
    op.drop_table('web_files')
    with op.batch_alter_table('web_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_web_messages_seq')
        batch_op.drop_index('ix_web_messages_chat')
    op.drop_table('web_messages')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_chat_id'))
    op.drop_table('web_sessions')
