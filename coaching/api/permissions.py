"""Role checks. A role's missing endpoint is a 404, not a 403 (docs/api.md: "Anything else is 404")."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from coaching.access import client_for, coach_for, membership_for


class IsCoach(BasePermission):
    """Signed in (else 401) and a coach (else 404)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if coach_for(request.user) is None:
            raise NotFound()
        return True


class IsClient(BasePermission):
    """Signed in (else 401) and a client (else 404)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if client_for(request.user) is None:
            raise NotFound()
        return True


class IsCoachForWrites(BasePermission):
    """Anyone signed in may read; only a coach may write (else 404)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method not in ("GET", "HEAD", "OPTIONS") and coach_for(request.user) is None:
            raise NotFound()
        return True


class IsCoachOrMember(BasePermission):
    """Signed in (else 401) and a coach or a team member (else 404)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if coach_for(request.user) is None and membership_for(request.user) is None:
            raise NotFound()
        return True
