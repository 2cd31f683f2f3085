"""Thread pages: the coach's (beside each session of the client page) and the client's (the
phone's History and Today). One view each: GET shows the thread and marks it read, POST replies;
htmx requests get the thread's fragment, plain posts redirect (pages work without JavaScript)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from coaching.access import access_thread, access_visible_client, require_client
from coaching.models import Coach, LoggedSession
from coaching.threads import selectors
from coaching.threads.forms import CommentForm
from coaching.threads.serializers import notes_body
from coaching.threads.services import comment_add, thread_mark_read
from coaching.views.coach_common import coach_required, invalid_status, is_htmx, render_page


def thread_context(
    session: LoggedSession, user: Any, form: CommentForm, post_url: str, *, mark_read: bool = True
) -> dict[str, Any]:
    """The thread as shown (each comment's ``is_read`` as it was before this showing), then marked
    read: shown is read. A few queries, however long the thread."""
    comments = list(selectors.thread_comments(session, user))
    for comment in comments:
        comment.role = selectors.role_of(session, comment.author_id)  # type: ignore[attr-defined]
    if mark_read and comments:
        thread_mark_read(session=session, user=user, through=comments[-1].pk)
    return {"session": session, "notes": notes_body(session), "comments": comments, "form": form, "post_url": post_url}


def _reply(request: HttpRequest, session: LoggedSession) -> tuple[CommentForm, int | None]:
    """(the form to show, and None when the reply was added, else the error status)."""
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment_add(session=session, author=request.user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            for message in exc.message_dict.get("body", exc.messages):
                form.add_error("body", message)
        else:
            return CommentForm(), None
    return form, invalid_status(request)


@require_http_methods(["GET", "POST"])
@coach_required
def coach_thread(request: HttpRequest, coach: Coach, client_id: int, session_id: str) -> HttpResponse:
    client = access_visible_client(request.user, client_id)
    session = access_thread(request.user, session_id, client=client)
    url = reverse("coach-thread", args=[client.pk, session.pk])
    form, status = CommentForm(), 200
    if request.method == "POST":
        form, failed = _reply(request, session)
        if failed is None and not is_htmx(request):
            return redirect(url)
        status = failed or 200
    context = thread_context(session, request.user, form, url) | {"client": client, "coach": coach}
    return render_page(request, "coaching/thread.html", context, fragment="thread", status=status)


@login_required
@require_http_methods(["GET", "POST"])
def client_thread(request: HttpRequest, session_id: str) -> HttpResponse:
    client = require_client(request.user)
    session = access_thread(request.user, session_id, client=client)
    url = reverse("client-thread", args=[session.pk])
    form, status = CommentForm(), 200
    if request.method == "POST":
        form, failed = _reply(request, session)
        if failed is None and not is_htmx(request):
            return redirect(url)
        status = failed or 200
    context = thread_context(session, request.user, form, url)
    context |= {"client": client, "tab": "history", **phone_badge(request.user)}
    return render_page(request, "client/thread.html", context, fragment="thread", status=status)


def phone_badge(user: Any) -> dict[str, Any]:
    """The phone header's unread badge: how many replies wait, and the thread of the oldest (two queries)."""
    total = selectors.unread_total(user)
    return {"unread_replies": total, "unread_session": selectors.first_unread_session(user) if total else None}
