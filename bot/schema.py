"""Every record module, imported together so the metadata (and Alembic) sees all tables."""

from bot.core import calendar, outbox
from bot.core.models import Base
from bot.staff import binding, roster
from bot.tickets import models as tickets
from bot.volunteers import models as volunteers

METADATA = Base.metadata
__all__ = ["METADATA", "binding", "calendar", "outbox", "roster", "tickets", "volunteers"]
