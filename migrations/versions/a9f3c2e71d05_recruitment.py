"""Recruitment: applications from the public form, guardian consent links, the opening date

Revision ID: a9f3c2e71d05
Revises: e5a1f07c3d92
Create Date: 2026-12-03 15:40:43.002330

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a9f3c2e71d05'
down_revision = 'e5a1f07c3d92'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('first_name', sa.String(length=80), nullable=False),
    sa.Column('last_name', sa.String(length=80), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('school', sa.String(length=120), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('privacy_notice_version', sa.String(length=20), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.Column('seen_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_applications_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seen_by_id'], ['users.id'], name=op.f('fk_applications_seen_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_enrolment_seen', ['enrolment_id', 'seen_at'], unique=False)

    op.create_table('consent_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('guardian_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('sent', 'opened', 'consented', 'withdrawn', name='consentrequeststatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('consented_at', sa.DateTime(), nullable=True),
    sa.Column('consent_address', sa.String(length=45), nullable=False),
    sa.Column('text_version', sa.String(length=40), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_address', sa.String(length=45), nullable=False),
    sa.Column('mailed_at', sa.DateTime(), nullable=True),
    sa.Column('mail_error', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consent_requests_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_consent_requests_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['guardian_id'], ['guardians.id'], name=op.f('fk_consent_requests_guardian_id_guardians'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_requests')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_consent_requests_token_hash'))
    )
    with op.batch_alter_table('consent_requests', schema=None) as batch_op:
        batch_op.create_index('ix_consent_requests_enrolment', ['enrolment_id', 'guardian_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_requests_guardian_id'), ['guardian_id'], unique=False)

    with op.batch_alter_table('settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applications_next_year_from', sa.Date(), nullable=True))



def downgrade():
    with op.batch_alter_table('settings', schema=None) as batch_op:
        batch_op.drop_column('applications_next_year_from')

    with op.batch_alter_table('consent_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_requests_guardian_id'))
        batch_op.drop_index('ix_consent_requests_enrolment')

    op.drop_table('consent_requests')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_enrolment_seen')

    op.drop_table('applications')
