"""The review page's forms: one per proposal, approve it or not, its proposed line as edited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.formsets import (
    INITIAL_FORM_COUNT,
    MAX_NUM_FORM_COUNT,
    MIN_NUM_FORM_COUNT,
    TOTAL_FORM_COUNT,
    ManagementForm,
)

from coaching.forms import LineForm, line_initial
from coaching.threads.models import NOTE_MAX_CHARS
from programs.lines import Line
from programs.models import Exercise


class ProposalForm(LineForm):
    """One proposal on the review page: approve it or not, and its proposed line as edited."""

    approve = forms.BooleanField(label="Approve this proposal", required=False, initial=True)
    note = forms.CharField(
        label="Note to the client",
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Shown beside the change on their phone"}),
    )

    def __init__(self, *args: Any, proposed: dict[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", line_initial(proposed))
        super().__init__(*args, **kwargs)
        self.proposed = proposed

    def to_line(self) -> Line:
        """The line as edited, on the proposal's own day: the form has no day field, and an edit
        never moves a line to another day (docs/api.md)."""
        return replace(super().to_line(), day=int(self.proposed.get("day") or 1))

    def edited_line(self) -> dict[str, Any] | None:
        """The edited line, or None when the coach left the proposal as it was."""
        # The form has no day: an edit stays on the proposal's day.
        edited = self.to_dict() | {"day": self.proposed.get("day", 1)}
        keys = set(edited) | set(self.proposed)
        same = all(_same(edited.get(k), self.proposed.get(k)) for k in keys)
        return None if same else edited


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except (ArithmeticError, ValueError):
        return a == b


class BaseProposalFormSet(forms.BaseFormSet):
    """The review page's proposals: one ``ProposalForm`` per proposal of the review, named by the
    proposal's id (``item-<id>-...``). The review says how many there are, never the post, so
    there is no management form to send.

    ``approval`` reads the coach's choice (all, ticked, or only one) and validates only the
    proposals chosen: an edit left on a proposal that is not approved does not block the others.
    """

    def __init__(
        self, data: Any = None, *, proposals: Sequence[Any], exercises: QuerySet[Exercise], **kwargs: Any
    ) -> None:
        self.proposals = list(proposals)
        super().__init__(data, prefix="item", form_kwargs={"exercises": exercises}, **kwargs)

    def total_form_count(self) -> int:
        return len(self.proposals)

    def initial_form_count(self) -> int:
        return len(self.proposals)

    @property
    def management_form(self) -> ManagementForm:
        counts = {
            TOTAL_FORM_COUNT: len(self.proposals), INITIAL_FORM_COUNT: len(self.proposals),
            MIN_NUM_FORM_COUNT: 0, MAX_NUM_FORM_COUNT: len(self.proposals),
        }  # fmt: skip
        form = ManagementForm(
            {f"{self.prefix}-{name}": value for name, value in counts.items()},
            auto_id=self.auto_id, prefix=self.prefix, renderer=self.renderer,
        )  # fmt: skip
        form.full_clean()
        return form

    def add_prefix(self, index: Any) -> str:
        if isinstance(index, int) and 0 <= index < len(self.proposals):
            return f"{self.prefix}-{self.proposals[index].pk}"
        return super().add_prefix(index)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs["proposed"] = self.proposals[index].proposed
        return kwargs | {"use_required_attribute": True}

    def approval(self, *, only: str = "", mode: str = "all") -> tuple[list[dict[str, Any]] | None, bool]:
        """What to approve: (the ``items`` of ``review_approve``, or None for all as proposed; whether the
        chosen forms are valid). Marks each form's ``ticked``."""
        mode = "only" if only else mode
        chosen = []
        for proposal, form in zip(self.proposals, self.forms, strict=True):
            if mode == "only":
                form.ticked = str(proposal.pk) == only
            elif mode == "ticked":
                form.ticked = form.add_prefix("approve") in self.data
            else:
                form.ticked = True
            if form.ticked:
                chosen.append((proposal, form))
        if not all([form.is_valid() for _, form in chosen]):
            return None, False
        entries = []
        for proposal, form in chosen:
            entry: dict[str, Any] = {"id": proposal.pk}
            edited = form.edited_line()
            if edited is not None:
                entry["proposed"] = edited
            if form.cleaned_data.get("note"):
                entry["note"] = form.cleaned_data["note"]
            entries.append(entry)
        if len(chosen) == len(self.proposals) and all(set(entry) == {"id"} for entry in entries):
            return None, True
        return entries, True


def posted_item_ids(data: Any) -> set[int]:
    """The proposal ids a posted review form names (its fields are ``item-<id>-...``): the
    proposals the coach's page showed."""
    ids = set()
    for key in data:
        prefix, _, rest = str(key).partition("-")
        number = rest.partition("-")[0]
        if prefix == "item" and number.isdigit() and len(number) < 19:
            ids.add(int(number))
    return ids


ProposalFormSet = forms.formset_factory(ProposalForm, formset=BaseProposalFormSet, extra=0)
