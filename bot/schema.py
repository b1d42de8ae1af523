"""Every record module, imported together so the metadata (and Alembic) sees all tables."""

from bot import binding, records, roster, volunteers, workdays

METADATA = records.Base.metadata
__all__ = ["METADATA", "binding", "records", "roster", "volunteers", "workdays"]
