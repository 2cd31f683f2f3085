"""Logged sessions: create-or-replace, batch sync, soft delete, the change feed.

A batch runs in a constant number of queries whatever its size, and in one transaction, so
no session is ever half-written. Writers of one client's sessions are serialized on the
client's row; the coach's ``ChangeCounter`` row, taken last, makes ``change_seq`` commit in order.

- ``inputs``: what a write carries, its domain validation, the canonical body hash;
- ``writes``: ``sessions_apply`` (batches), ``session_upsert``, ``session_delete``;
- ``bulk``: the batch's bulk statements;
- ``feed``: cursors and ``sessions_changed_since``.
"""

from __future__ import annotations

from coaching.sessions.services.feed import decode_cursor, encode_cursor, sessions_changed_since
from coaching.sessions.services.inputs import (
    SessionError,
    SessionInput,
    SessionResult,
    SessionStale,
    SetInput,
    body_hash,
)
from coaching.sessions.services.writes import (
    session_delete,
    session_upsert,
    sessions_apply,
)

__all__ = [
    "SessionError",
    "SessionInput",
    "SessionResult",
    "SessionStale",
    "SetInput",
    "body_hash",
    "decode_cursor",
    "encode_cursor",
    "session_delete",
    "session_upsert",
    "sessions_apply",
    "sessions_changed_since",
]
