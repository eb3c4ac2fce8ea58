"""Alembic's entry: migrate the engine that dashboard.records.db hands over (no alembic.ini)."""

from __future__ import annotations

from alembic import context

from dashboard.records.schema import metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` run by hand: the store of the environment
    from dashboard.records import db

    engine = db.engine()

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()
