"""Browser pages: coach pages in ``urls_coach`` / ``views/coach*.py``, client (phone) pages in
``urls_client`` / ``views/client*.py``."""

from __future__ import annotations

from django.urls import path

from coaching.urls_client import urlpatterns as client_patterns
from coaching.urls_coach import urlpatterns as coach_patterns
from coaching.views import home

urlpatterns = [
    path("", home.home, name="home"),
    *coach_patterns,
    *client_patterns,
]
