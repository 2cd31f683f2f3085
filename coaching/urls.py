"""Browser pages. Coach pages live in ``views/coach.py``, client (phone) pages in ``views/client.py``."""

from __future__ import annotations

from django.urls import path

from coaching.views import home

urlpatterns = [
    path("", home.home, name="home"),
]
