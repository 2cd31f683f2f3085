"""Browser pages: coach pages in ``urls_coach`` (views in ``views/coach*.py`` and each sub-domain's
``views.py``), client (phone) pages in ``sessions/phone/urls.py`` / ``sessions/phone/views.py``."""

from __future__ import annotations

from django.urls import path

from coaching.sessions.phone.urls import urlpatterns as client_patterns
from coaching.urls_coach import urlpatterns as coach_patterns
from coaching.views import home

urlpatterns = [
    path("", home.home, name="home"),
    *coach_patterns,
    *client_patterns,
]
