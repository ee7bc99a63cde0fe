"""SqlRoleHolderRepository: who registered as holding which role in which municipality."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, delete, select

from bot.domain.knowledge import RoleHolder
from storage.repository import SqlRepository
from storage.tables import role_holders

_KEY = ("tenant_id", "role_id", "municipality", "user_id")


class SqlRoleHolderRepository(SqlRepository):
    async def add(self, holder: RoleHolder) -> None:
        # Registering again keeps the original date and refreshes the display name.
        row = {
            "tenant_id": holder.tenant,
            "role_id": holder.role_id,
            "municipality": holder.municipality,
            "user_id": holder.user_id,
            "user_name": holder.user_name[:200],
            "registered_at": holder.since,
        }
        await self._writer.upsert(role_holders, row, key=_KEY, update=("user_name",))

    async def remove(self, role_id: str, municipality: str, user_id: str, tenant: str = "") -> bool:
        return await self._delete(tenant, role_id, municipality, user_id) > 0

    async def remove_all(self, role_id: str, municipality: str, tenant: str = "") -> int:
        return await self._delete(tenant, role_id, municipality)

    async def _delete(
        self, tenant: str, role_id: str, municipality: str, user_id: str | None = None
    ) -> int:
        conditions = [
            role_holders.c.tenant_id == tenant,
            role_holders.c.role_id == role_id,
            role_holders.c.municipality == municipality,
        ]
        if user_id is not None:
            conditions.append(role_holders.c.user_id == user_id)

        def work(connection: Connection) -> int:
            result = connection.execute(delete(role_holders).where(*conditions))
            return result.rowcount

        return await self._writer.run(work)

    async def list_for(self, municipality: str, tenant: str = "") -> list[RoleHolder]:
        return await self._select(
            role_holders.c.tenant_id == tenant, role_holders.c.municipality == municipality
        )

    async def find(self, role_id: str, municipality: str, tenant: str = "") -> list[RoleHolder]:
        return await self._select(
            role_holders.c.tenant_id == tenant,
            role_holders.c.role_id == role_id,
            role_holders.c.municipality == municipality,
        )

    async def _select(self, *conditions: ColumnElement[bool]) -> list[RoleHolder]:
        query = select(role_holders).where(*conditions).order_by(role_holders.c.registered_at)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [
            RoleHolder(
                r["role_id"],
                r["municipality"],
                r["user_id"],
                r["user_name"] or "",
                r["registered_at"],
                r["tenant_id"],
            )
            for r in rows
        ]
