"""The errors a Celery task retries: ones that may pass on their own (shared by every ``tasks.py``)."""

from __future__ import annotations

import kombu.exceptions
import redis.exceptions
from django.db import InterfaceError, OperationalError

# Errors that may pass on their own: the database dropped the connection, a lock or
# serialization conflict (OperationalError), a closed connection (InterfaceError), the broker or
# Redis unreachable. Not DatabaseError as a whole: an IntegrityError, ProgrammingError or
# DataError fails the same way every time, so retrying only delays the report.
TRANSIENT = (
    OperationalError,
    InterfaceError,
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
