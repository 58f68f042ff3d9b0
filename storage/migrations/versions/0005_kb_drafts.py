"""kb_drafts: every version of a self-help article made or edited in chat, and who made, reviewed, published it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kb_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.String(length=100), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('safety', sa.String(length=16), nullable=False),
    sa.Column('title', sa.JSON(), nullable=False),
    sa.Column('phrasings', sa.JSON(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('source_ticket', sa.Integer(), nullable=True),
    sa.Column('based_on', sa.Integer(), nullable=True),
    sa.Column('staff_note', sa.Text(), nullable=False),
    sa.Column('made_by', sa.Integer(), nullable=True),
    sa.Column('made_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kb_drafts')),
    sa.UniqueConstraint('article_id', 'revision', name=op.f('uq_kb_drafts_article_id'))
    )
    with op.batch_alter_table('kb_drafts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kb_drafts_article_id'), ['article_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('kb_drafts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kb_drafts_article_id'))
    op.drop_table('kb_drafts')
