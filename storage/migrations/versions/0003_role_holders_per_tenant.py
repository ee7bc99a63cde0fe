"""Role holders belong to a tenant: one organisation never sees another's registrations.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE role_holders SET tenant_id = '' WHERE tenant_id IS NULL")
    with op.batch_alter_table("role_holders") as table:
        table.alter_column(
            "tenant_id", existing_type=sa.String(100), nullable=False, server_default=""
        )
        table.drop_constraint("uq_role_holders_role_place_user", type_="unique")
        table.create_unique_constraint(
            "uq_role_holders_tenant_role_place_user",
            ["tenant_id", "role_id", "municipality", "user_id"],
        )
    op.create_index("ix_role_holders_tenant_place", "role_holders", ["tenant_id", "municipality"])


def downgrade() -> None:
    op.drop_index("ix_role_holders_tenant_place", "role_holders")
    with op.batch_alter_table("role_holders") as table:
        table.drop_constraint("uq_role_holders_tenant_role_place_user", type_="unique")
        table.create_unique_constraint(
            "uq_role_holders_role_place_user", ["role_id", "municipality", "user_id"]
        )
        table.alter_column(
            "tenant_id", existing_type=sa.String(100), nullable=True, server_default=None
        )
