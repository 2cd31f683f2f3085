"""The coach's webhook pages: endpoints (add, delete, rotate the secret, enable) and each one's delivery log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.access import access_delivery, access_webhook
from coaching.forms import apply_errors
from coaching.models import Coach
from coaching.views.coach_common import coach_required, invalid_status, is_htmx, render_page
from coaching.webhooks import services
from coaching.webhooks.forms import WebhookEndpointForm
from coaching.webhooks.models import WebhookEndpoint
from coaching.webhooks.selectors import deliveries_log, endpoints_list

DELIVERIES_PER_PAGE = 25
PAGE = "coaching/webhooks.html"
LOG = "coaching/webhook_log.html"


def _endpoints_page(
    request: HttpRequest,
    *,
    form: WebhookEndpointForm | None = None,
    secret_for: WebhookEndpoint | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "endpoints": list(endpoints_list(request.user)),
        "form": form or WebhookEndpointForm(),
        "secret_for": secret_for,
    }
    return render_page(request, PAGE, context, fragment="webhooks", status=status)


@require_http_methods(["GET", "POST"])
@coach_required
def webhook_list(request: HttpRequest, coach: Coach) -> HttpResponse:
    """The endpoints, and the form to add one; a new endpoint's secret is shown once, on this answer."""
    if request.method == "GET":
        return _endpoints_page(request)
    form = WebhookEndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint = services.endpoint_create(coach=coach, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _endpoints_page(request, secret_for=endpoint, status=201 if not is_htmx(request) else 200)
    return _endpoints_page(request, form=form, status=invalid_status(request))


@require_POST
@coach_required
def webhook_delete(request: HttpRequest, coach: Coach, endpoint_id: int) -> HttpResponse:
    endpoint = access_webhook(request.user, endpoint_id)
    url = endpoint.url
    services.endpoint_delete(endpoint=endpoint)
    if is_htmx(request):
        return _endpoints_page(request)
    messages.success(request, f"The endpoint {url} was deleted.")
    return redirect("coach-webhooks")


@require_POST
@coach_required
def webhook_rotate(request: HttpRequest, coach: Coach, endpoint_id: int) -> HttpResponse:
    """A new secret, shown once on this answer; the old one still signs for 24 hours."""
    endpoint = services.endpoint_rotate_secret(endpoint=access_webhook(request.user, endpoint_id))
    return _endpoints_page(request, secret_for=endpoint)


@require_POST
@coach_required
def webhook_enable(request: HttpRequest, coach: Coach, endpoint_id: int) -> HttpResponse:
    services.endpoint_enable(endpoint=access_webhook(request.user, endpoint_id))
    if is_htmx(request):
        return _endpoints_page(request)
    messages.success(request, "The endpoint is enabled again.")
    return redirect("coach-webhooks")


@require_GET
@coach_required
def webhook_log(request: HttpRequest, coach: Coach, endpoint_id: int) -> HttpResponse:
    """One endpoint's delivery log, newest first, with "send again"."""
    endpoint = access_webhook(request.user, endpoint_id)
    page = Paginator(deliveries_log(endpoint), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(request, LOG, {"endpoint": endpoint, "deliveries": page}, fragment="log")


@require_POST
@coach_required
def webhook_resend(request: HttpRequest, coach: Coach, endpoint_id: int, delivery_id: int) -> HttpResponse:
    delivery = access_delivery(request.user, endpoint_id, delivery_id)
    try:
        delivery = services.delivery_resend(delivery=delivery)
    except services.DeliveryNotResendable as exc:
        if is_htmx(request):
            return render_page(request, LOG, {"delivery": delivery, "row_error": str(exc)}, fragment="row", status=200)
        messages.error(request, str(exc))
    else:
        if is_htmx(request):
            return render_page(request, LOG, {"delivery": delivery, "endpoint": delivery.endpoint}, fragment="row")
        messages.success(request, f"The {delivery.event_type} event is queued to be sent again.")
    return redirect(reverse("coach-webhook", args=[endpoint_id]))
