"""temples domain

Revision ID: 0004_temples
Revises: 0003_platform
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_temples"
down_revision = "0003_platform"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('temples',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('location', sa.String(length=120), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.Column('timezone', sa.String(length=40), nullable=False),
    sa.Column('code_prefix', sa.String(length=3), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_temples')),
    sa.UniqueConstraint('slug', name=op.f('uq_temples_slug'))
    )
    op.create_table('darshan_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('temple_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['temple_id'], ['temples.id'], name=op.f('fk_darshan_slots_temple_id_temples'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_darshan_slots')),
    sa.UniqueConstraint('temple_id', 'starts_at', name=op.f('uq_darshan_slots_temple_id_starts_at'))
    )
    with op.batch_alter_table('darshan_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_darshan_slots_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_darshan_slots_temple_id'), ['temple_id'], unique=False)

    op.create_table('shuttle_routes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('temple_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['temple_id'], ['temples.id'], name=op.f('fk_shuttle_routes_temple_id_temples'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shuttle_routes'))
    )
    with op.batch_alter_table('shuttle_routes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shuttle_routes_temple_id'), ['temple_id'], unique=False)

    op.create_table('temple_resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('temple_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('next_maintenance', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['temple_id'], ['temples.id'], name=op.f('fk_temple_resources_temple_id_temples'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_temple_resources'))
    )
    with op.batch_alter_table('temple_resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_temple_resources_temple_id'), ['temple_id'], unique=False)

    op.create_table('zones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('temple_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('last_count', sa.Integer(), nullable=True),
    sa.Column('last_level', sa.String(length=10), nullable=True),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['temple_id'], ['temples.id'], name=op.f('fk_zones_temple_id_temples'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zones')),
    sa.UniqueConstraint('temple_id', 'slug', name=op.f('uq_zones_temple_id_slug'))
    )
    with op.batch_alter_table('zones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zones_temple_id'), ['temple_id'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=False),
    sa.Column('party_size', sa.Integer(), nullable=False),
    sa.Column('visitors', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('idempotency_key', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['slot_id'], ['darshan_slots.id'], name=op.f('fk_bookings_slot_id_darshan_slots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bookings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings')),
    sa.UniqueConstraint('code', name=op.f('uq_bookings_code')),
    sa.UniqueConstraint('user_id', 'idempotency_key', name=op.f('uq_bookings_user_id_idempotency_key'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bookings_slot_id'), ['slot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_bookings_user_id'), ['user_id'], unique=False)

    op.create_table('crowd_readings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('temple_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['temple_id'], ['temples.id'], name=op.f('fk_crowd_readings_temple_id_temples'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name=op.f('fk_crowd_readings_zone_id_zones'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crowd_readings'))
    )
    with op.batch_alter_table('crowd_readings', schema=None) as batch_op:
        batch_op.create_index('ix_crowd_readings_temple_at', ['temple_id', 'at'], unique=False)
        batch_op.create_index('ix_crowd_readings_zone_at', ['zone_id', 'at'], unique=False)

    op.create_table('route_stops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('route_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['route_id'], ['shuttle_routes.id'], name=op.f('fk_route_stops_route_id_shuttle_routes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_route_stops'))
    )
    with op.batch_alter_table('route_stops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_route_stops_route_id'), ['route_id'], unique=False)

    op.create_table('shuttles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('route_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('passengers', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lng', sa.Float(), nullable=True),
    sa.Column('position_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['route_id'], ['shuttle_routes.id'], name=op.f('fk_shuttles_route_id_shuttle_routes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shuttles'))
    )
    with op.batch_alter_table('shuttles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shuttles_route_id'), ['route_id'], unique=False)

    op.create_table('shuttle_positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shuttle_id', sa.Integer(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lng', sa.Float(), nullable=False),
    sa.Column('passengers', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['shuttle_id'], ['shuttles.id'], name=op.f('fk_shuttle_positions_shuttle_id_shuttles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shuttle_positions'))
    )
    with op.batch_alter_table('shuttle_positions', schema=None) as batch_op:
        batch_op.create_index('ix_shuttle_positions_shuttle_at', ['shuttle_id', 'at'], unique=False)



def downgrade():
    with op.batch_alter_table('shuttle_positions', schema=None) as batch_op:
        batch_op.drop_index('ix_shuttle_positions_shuttle_at')

    op.drop_table('shuttle_positions')
    with op.batch_alter_table('shuttles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shuttles_route_id'))

    op.drop_table('shuttles')
    with op.batch_alter_table('route_stops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_route_stops_route_id'))

    op.drop_table('route_stops')
    with op.batch_alter_table('crowd_readings', schema=None) as batch_op:
        batch_op.drop_index('ix_crowd_readings_zone_at')
        batch_op.drop_index('ix_crowd_readings_temple_at')

    op.drop_table('crowd_readings')
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bookings_user_id'))
        batch_op.drop_index(batch_op.f('ix_bookings_status'))
        batch_op.drop_index(batch_op.f('ix_bookings_slot_id'))

    op.drop_table('bookings')
    with op.batch_alter_table('zones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zones_temple_id'))

    op.drop_table('zones')
    with op.batch_alter_table('temple_resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_temple_resources_temple_id'))

    op.drop_table('temple_resources')
    with op.batch_alter_table('shuttle_routes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shuttle_routes_temple_id'))

    op.drop_table('shuttle_routes')
    with op.batch_alter_table('darshan_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_darshan_slots_temple_id'))
        batch_op.drop_index(batch_op.f('ix_darshan_slots_starts_at'))

    op.drop_table('darshan_slots')
    op.drop_table('temples')
