"""A logged set's form video in the API: upload, watch (Range requests), poster, delete.

The URL a set's ``video`` names is this view's: it checks access on every request and answers
Range requests itself, or (with S3) redirects to a short-lived signed URL. Never a public URL.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponseBase, HttpResponseRedirect
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from coaching.access import access_set_video
from coaching.api.schema import errors, field_errors
from coaching.api.views import ApiView, PayloadTooLarge
from coaching.videos import selectors, services
from coaching.videos.models import SetVideo, video_storage
from coaching.videos.probe import ProbeUnavailable
from coaching.videos.serving import ranged_file_response

TAG = ["videos"]
PARAMETERS = [
    OpenApiParameter("session_id", OpenApiTypes.UUID, OpenApiParameter.PATH),
    OpenApiParameter("set_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The set's `id`."),
]
WHO = (
    "Only the session's client and their coach; for anyone else, a deleted session or a set id "
    "the session does not have, it is a 404."
)
VIDEO_TYPES = ("video/mp4", "video/quicktime", "video/webm")


class NotAVideo(exceptions.APIException):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_code = "not_a_video"


class VideoChecksUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Videos cannot be checked right now, so nothing was kept. Try again later."
    default_code = "unavailable"


class VideoUrlSerializer(serializers.Serializer):
    video = serializers.CharField(help_text="Where the permitted users watch it (this endpoint).")


def _binary(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=OpenApiTypes.BINARY, description=description)


def _detail(description: str) -> OpenApiResponse:
    return OpenApiResponse(
        response={"type": "object", "properties": {"detail": {"type": "string"}}}, description=description
    )


def _serve(request: Any, video: SetVideo, name: str, content_type: str) -> HttpResponseBase:
    storage = video_storage()
    if settings.VIDEO_STORAGE == "s3":
        # A signed URL valid for VIDEO_URL_SECONDS: the bucket itself stays private.
        return HttpResponseRedirect(storage.url(name))
    f = storage.open(name, "rb")
    return ranged_file_response(
        f, size=storage.size(name), content_type=content_type, range_header=request.headers.get("Range")
    )


class _MediaView(ApiView):
    def perform_content_negotiation(self, request: Any, force: bool = False) -> Any:
        # A player's Accept (video/*, image/*) is not JSON: errors still answer in JSON.
        return super().perform_content_negotiation(request, force=True)


@extend_schema(parameters=PARAMETERS, tags=TAG)
class SetVideoView(_MediaView):
    @extend_schema(
        summary="Watch a set's form video",
        description="The video file. Answers HTTP Range requests (`206` with `Content-Range`, `416` for a "
        "range outside the file, `Accept-Ranges: bytes`); with a bucket in production, a `302` to a "
        f"short-lived signed URL. {WHO}",
        responses={
            200: _binary("The whole video."),
            206: _binary("The asked byte range."),
            302: OpenApiResponse(description="To a signed bucket URL valid for a few minutes (S3 storage)."),
            416: OpenApiResponse(description="The range is outside the file (`Content-Range: bytes */size`)."),
            **errors(401, 404),
        },
    )
    def get(self, request: Any, session_id: str, set_id: str) -> HttpResponseBase:
        session, set_uid = access_set_video(request.user, session_id, set_id, watch=True)
        video = selectors.set_video(session, set_uid)
        if video is None:
            raise Http404("Not found.")
        return _serve(request, video, video.file.name, video.content_type)

    @extend_schema(
        summary="Upload a set's form video",
        description="The raw video as the body (`Content-Type` video/mp4, video/quicktime or video/webm), at most "
        "100 MB and 60 seconds. Checked by its content, whatever its type or name says; replaces the set's "
        f"video. A poster frame follows shortly (made in the background). {WHO}",
        request={media: OpenApiTypes.BINARY for media in VIDEO_TYPES},
        responses={
            200: VideoUrlSerializer,
            **errors(401, 403, 404, 429),
            400: field_errors({"video": "Not readable as a video, or longer than 60 seconds."}),
            413: _detail("Larger than 100 MB: nothing was kept."),
            415: _detail("Not an MP4, QuickTime or WebM file by its content: nothing was kept."),
            503: _detail("The video checks are unavailable: nothing was kept."),
        },
    )
    def put(self, request: Any, session_id: str, set_id: str) -> Response:
        session, set_uid = access_set_video(request.user, session_id, set_id)
        try:
            length = int(request.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        body = request.stream if request.stream is not None else io.BytesIO(b"")  # an empty body
        try:
            video = services.video_put(session=session, set_uid=set_uid, body=body, length=length)
        except services.VideoTooBig as exc:
            raise PayloadTooLarge(detail=str(exc)) from exc
        except services.VideoNotAVideo as exc:
            raise NotAVideo(detail=str(exc)) from exc
        except ProbeUnavailable as exc:
            raise VideoChecksUnavailable() from exc
        return Response({"video": selectors.video_url(video.session_id, video.set_uid)})

    @extend_schema(
        summary="Delete a set's form video",
        description=f"Removes the video and its poster (the stored files too). {WHO}",
        request=None,
        responses={204: None, **errors(401, 403, 404, 429)},
    )
    def delete(self, request: Any, session_id: str, set_id: str) -> Response:
        session, set_uid = access_set_video(request.user, session_id, set_id)
        if not services.video_delete(session=session, set_uid=set_uid):
            raise Http404("Not found.")
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=PARAMETERS, tags=TAG)
class SetVideoPosterView(_MediaView):
    @extend_schema(
        summary="A set's video poster frame",
        description="A JPEG frame of the video, once the background task has made it (404 until then). "
        f"With a bucket, a `302` to a short-lived signed URL. {WHO}",
        responses={
            200: _binary("The JPEG."),
            206: _binary("The asked byte range."),
            302: OpenApiResponse(description="To a signed bucket URL (S3 storage)."),
            416: OpenApiResponse(description="The range is outside the file."),
            **errors(401, 404),
        },
    )
    def get(self, request: Any, session_id: str, set_id: str) -> HttpResponseBase:
        session, set_uid = access_set_video(request.user, session_id, set_id, watch=True)
        video = selectors.set_video(session, set_uid)
        if video is None or not video.poster.name:
            raise Http404("Not found.")
        return _serve(request, video, video.poster.name, "image/jpeg")
