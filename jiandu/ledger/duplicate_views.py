"""Pages of likely duplicates: the open pairs in scope side by side, merge (choosing which to keep) and
dismiss, each after a confirmation. Deciding needs the ledger editors' `change_duplicatecandidate`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.querysets import CHANGE
from jiandu.core.views import ScopedListView, reads
from jiandu.ledger.duplicate_filtersets import DuplicateFilterSet
from jiandu.ledger.duplicates import duplicate_dismiss, duplicate_merge
from jiandu.ledger.models import DuplicateCandidate, DuplicateStatus

DECIDE = "ledger.change_duplicatecandidate"
PROBLEM_RELATED = (
    "region",
    "source",
    "category",
    "found_by",
    "responsible_region",
    "responsible_department",
    "merged_into",
)


def require(request: HttpRequest, permission: str) -> None:
    """Deciding is for the role; to anyone else the pages answer 404, like a pair out of scope."""
    if not request.user.has_perm(permission):
        raise Http404


def reason_badges(reasons: dict[str, Any]) -> list[tuple[str, str]]:
    """The stored reasons of a pair as short labels, each with a Bootstrap colour (agreeing or not)."""
    badges: list[tuple[str, str]] = []
    if "text" in reasons:
        badges.append(
            (_("Wording %(percent)d%% alike") % {"percent": round(reasons["text"] * 100)}, "primary")
        )
    places = {
        "same_village": (_("Same village"), "success"),
        "same_township": (_("Same township"), "success"),
        "same_county": (_("Same county"), "success"),
        "within_township": (_("Same township, one names only the township"), "success"),
        "within_county": (_("Same county, one names only the county"), "secondary"),
        "other_village_same_township": (_("Other villages of one township"), "warning"),
        "other_township": (_("Other townships"), "warning"),
    }
    if reasons.get("place") in places:
        badges.append(places[reasons["place"]])
    if "days" in reasons:
        days = reasons["days"]
        label = _("Found the same day") if days == 0 else _("Found %(days)d days apart") % {"days": days}
        badges.append((label, "success" if days <= 30 else "secondary"))
    if "unit" in reasons:
        badges.append(
            (_("Same responsible unit"), "success")
            if reasons["unit"] == "same"
            else (_("Other responsible unit"), "secondary")
        )
    if "amount" in reasons:
        badges.append(
            (_("Same amount"), "success") if reasons["amount"] == "same" else (_("Other amount"), "warning")
        )
    if "figures" in reasons:
        badges.append(
            (_("Figures in the text agree"), "success")
            if reasons["figures"] >= 1
            else (_("Some figures in the text differ"), "warning")
        )
    return badges


class DuplicateListView(ScopedListView):
    model = DuplicateCandidate
    template_name = "ledger/duplicates/list.html"
    partial_template_name = "ledger/duplicates/_table.html"
    paginate_by = 20
    search_fields = ("first__facts", "second__facts")
    filterset_class = DuplicateFilterSet
    sort_fields = {"score": "score", "found_on": "first__found_on", "created": "created_at"}
    default_sort = "-score"

    def base_queryset(self) -> QuerySet:
        related = [f"{side}__{path}" for side in ("first", "second") for path in PROBLEM_RELATED]
        qs = DuplicateCandidate.objects.select_related(*related, "decided_by")
        if not self.request.GET.get("status"):
            qs = qs.filter(status=DuplicateStatus.OPEN)
        return qs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        for pair in context["object_list"]:
            pair.badges = reason_badges(pair.reasons)
        context["can_decide"] = self.request.user.has_perm(DECIDE)
        return context


class MergeForm(forms.Form):
    keep = forms.TypedChoiceField(
        label=gettext_lazy("Keep"), coerce=int, widget=forms.RadioSelect, choices=()
    )

    def __init__(self, *args: Any, pair: DuplicateCandidate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = [(pair.first_id, pair.first_id), (pair.second_id, pair.second_id)]


def _pair_for_change(request: HttpRequest, pk: int) -> DuplicateCandidate:
    """An open pair whose two problems the user may change; anything else is a 404."""
    related = [f"{side}__{path}" for side in ("first", "second") for path in PROBLEM_RELATED]
    qs = DuplicateCandidate.objects.visible_to(request.user, CHANGE).select_related(*related)
    return get_object_or_404(qs, pk=pk, status=DuplicateStatus.OPEN)


@reads(DuplicateCandidate)
def duplicate_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge a pair: the person chooses which problem to keep; the other is marked merged into it."""
    require(request, DECIDE)
    pair = _pair_for_change(request, pk)
    form = MergeForm(request.POST or None, pair=pair, initial={"keep": _default_keep(pair)})
    if request.method == "POST" and form.is_valid():
        keep = pair.first if form.cleaned_data["keep"] == pair.first_id else pair.second
        try:
            duplicate_merge(acting_user=request.user, candidate=pair, keep=keep)
        except ValidationError as error:
            form.add_error(None, error)
        except DuplicateCandidate.DoesNotExist as error:
            raise Http404 from error
        else:
            messages.success(
                request, _("Merged: problem %(problem)s keeps both sources.") % {"problem": keep}
            )
            return redirect("ledger-duplicates:list")
    context = {"pair": pair, "form": form, "badges": reason_badges(pair.reasons)}
    return render(request, "ledger/duplicates/merge.html", context)


def _default_keep(pair: DuplicateCandidate) -> int:
    """Propose keeping the problem reported first (the earlier date; the older record on a tie)."""
    first, second = pair.first, pair.second
    return second.pk if (second.found_on, second.pk) < (first.found_on, first.pk) else first.pk


@reads(DuplicateCandidate)
def duplicate_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    require(request, DECIDE)
    pair = _pair_for_change(request, pk)
    if request.method == "POST":
        try:
            duplicate_dismiss(acting_user=request.user, candidate=pair)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except DuplicateCandidate.DoesNotExist as error:
            raise Http404 from error
        else:
            messages.success(request, _("Recorded: the two problems are not the same one."))
        return redirect("ledger-duplicates:list")
    return render(
        request, "ledger/duplicates/dismiss.html", {"pair": pair, "badges": reason_badges(pair.reasons)}
    )
