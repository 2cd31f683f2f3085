"""The phone's "Add video" form without JavaScript (with it, videos.js uploads through the API)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from coaching.access import access_set_video, require_client
from coaching.videos.services import video_upload_problem


@login_required
@require_POST
def client_set_video(request: HttpRequest, session_id: str, set_id: str) -> HttpResponse:
    require_client(request.user)
    session, set_uid = access_set_video(request.user, session_id, set_id)
    problem = video_upload_problem(session=session, set_uid=set_uid, upload=request.FILES.get("video"))
    if problem:
        messages.error(request, f"The video was not saved: {problem}")
    else:
        messages.success(request, "Video saved: your coach can watch it beside the set.")
    return redirect(reverse("client-history") + f"#session-{session.pk}")
