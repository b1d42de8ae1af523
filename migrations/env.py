"""Alembic environment: migrates the database named in the configuration's sqlalchemy.url."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from bot.schema import METADATA

config = context.config
target_metadata = METADATA


def run_migrations_online() -> None:
    """Run migrations with a live connection."""
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
