"""Reads of the catalogue, shaped for pages, the API and exports."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString, mark_safe

from recovery_tracker.catalogue.models import Addressee, Fact, Organisation, Plan, Recommendation, Section, Theme


def plan_default() -> Plan | None:
    """The plan to use when none is named: the configured default if it is loaded, else the only plan.

    With several plans and no default loaded there is no sensible guess: callers ask for a plan id
    (``plan_ids`` lists them) or show the plans page.
    """
    configured = Plan.objects.filter(slug=settings.RECOVERY_TRACKER["DEFAULT_PLAN"]).first()
    if configured is not None:
        return configured
    plans = list(Plan.objects.all()[:2])
    return plans[0] if len(plans) == 1 else None


def plan_ids() -> list[str]:
    return list(Plan.objects.order_by("slug").values_list("slug", flat=True))


def plan_missing_message(slug: str) -> str:
    """What to say when a command cannot tell which plan: the id asked for, or the ids to choose from."""
    loaded = plan_ids()
    if not loaded:
        return "No plan is loaded. Run `recovery-tracker setup` or `recovery-tracker plan load FILE`."
    if slug:
        return f"No plan {slug!r} is loaded. Loaded plans: {', '.join(loaded)}."
    return f"Several plans are loaded; name one with --plan ({', '.join(loaded)})."


def plan_get(slug: str) -> Plan:
    return get_object_or_404(Plan, slug=slug)


def recommendations_with_addressees(queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    """Everything a list of recommendations shows, fetched in a fixed number of queries."""
    return queryset.select_related("section", "plan").prefetch_related(
        "themes",
        Prefetch("addressees", queryset=Addressee.objects.select_related("organisation")),
        "targets",
    )


def recommendations_for_plan(plan: Plan) -> QuerySet[Recommendation]:
    return recommendations_with_addressees(Recommendation.objects.filter(plan=plan, retired=False))


def organisation_with_predecessors(organisation: Organisation) -> list[Organisation]:
    """The organisation and every body whose responsibilities passed to it, however many steps back."""
    found = [organisation]
    frontier = [organisation]
    while frontier:
        predecessors = list(Organisation.objects.filter(successor__in=frontier).exclude(pk__in=[o.pk for o in found]))
        found.extend(predecessors)
        frontier = predecessors
    return found


def organisation_accountable(organisation: Organisation) -> Organisation:
    """Who answers for this body now: itself, or its latest successor if it has closed."""
    seen = {organisation.pk}
    current = organisation
    while current.successor_id and current.successor_id not in seen:
        current = current.successor
        seen.add(current.pk)
    return current


@dataclass(frozen=True)
class AddressedBody:
    """A body that answers for a recommendation: an addressee, or a member of a group addressee."""

    organisation: Organisation
    role: str
    # The group addressee this body answers as a member of ("local authorities"), or None.
    group: Organisation | None = None


def by_label(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Organisations in the order readers look for them: by short name where there is one
    ("Birmingham, Coventry, ... Wolverhampton", not "City of Wolverhampton Council" second)."""
    return queryset.order_by(Lower(Coalesce(NullIf("short_name", Value("")), "name")), "name")


def group_members(organisation: Organisation) -> list[Organisation]:
    """The named members of a group addressee, by label; empty for an ordinary organisation."""
    return list(by_label(organisation.members.all()))


def recommendation_bodies(recommendation: Recommendation) -> list[AddressedBody]:
    """Every body a recommendation is addressed to: each addressee, then each member of a group
    addressee with the group's role ("each council answers for itself")."""
    bodies: list[AddressedBody] = []
    for addressee in recommendation.addressees.select_related("organisation").prefetch_related(
            "organisation__members"):
        bodies.append(AddressedBody(addressee.organisation, addressee.role))
        bodies.extend(AddressedBody(member, addressee.role, addressee.organisation)
                      for member in sorted(addressee.organisation.members.all(), key=lambda o: o.label.lower()))
    return bodies


def recommendation_addresses(recommendation: Recommendation, body: Organisation) -> bool:
    """The recommendation is addressed to ``body``, directly or through a group it is a member of."""
    return recommendation.addressees.filter(
        Q(organisation=body) | Q(organisation__members=body)
    ).exists()


@dataclass(frozen=True)
class RecommendationFilters:
    theme: str = ""
    kind: str = ""
    organisation: str = ""
    section: str = ""

    def apply(self, queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        if self.theme:
            queryset = queryset.filter(themes__slug=self.theme)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        if self.section:
            queryset = queryset.filter(section__number=self.section)
        if self.organisation:
            org = Organisation.objects.filter(slug=self.organisation).first()
            if org is None:
                return queryset.none()
            bodies = organisation_with_predecessors(org)
            queryset = queryset.filter(
                Q(addressees__organisation__in=bodies) | Q(addressees__organisation__members__in=bodies)
            )
        return queryset.distinct()


def plan_overview(plan: Plan) -> dict[str, object]:
    recs = list(recommendations_for_plan(plan))
    kinds = Counter(rec.kind for rec in recs)
    themes = Counter(theme.slug for rec in recs for theme in rec.themes.all())
    sections = list(Section.objects.filter(plan=plan).prefetch_related("recommendations"))
    return {
        "recommendation_count": len(recs),
        "kind_counts": [(key, label, kinds.get(key, 0)) for key, label in Recommendation.KINDS],
        "theme_counts": [(slug, Theme(slug=slug).label, count)
                         for slug, count in sorted(themes.items(), key=lambda item: (-item[1], item[0]))],
        "sections": [
            (section, sum(1 for rec in recs if rec.section_id == section.pk)) for section in sections
        ],
    }


def filter_choices(plan: Plan) -> dict[str, object]:
    org_ids = Addressee.objects.filter(recommendation__plan=plan).values_list("organisation", flat=True)
    return {
        "themes": Theme.objects.filter(recommendations__plan=plan).distinct(),
        "kinds": Recommendation.KINDS,
        # Members of a group addressee (each council in "local authorities") can be chosen too.
        "organisations": Organisation.objects.filter(Q(pk__in=org_ids) | Q(groups__in=org_ids)).distinct().order_by(
            "name"),
        "sections": Section.objects.filter(plan=plan),
    }


def _quote_pattern(quote: str) -> re.Pattern[str]:
    words = quote.replace("\u00a0", " ").split()
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def source_text_html(plan: Plan) -> SafeString:
    """The source text, escaped, with an anchor per section heading and a mark per quoted recommendation.

    Each recommendation page links to ``#rec-<id>`` so a reader sees the passage in its context.
    """
    text = plan.source_text
    spans: list[tuple[int, int, str, str]] = []
    for section in Section.objects.filter(plan=plan):
        heading = section.source_heading or f"{section.number} {section.title}"
        match = _quote_pattern(heading).search(text)
        if match:
            spans.append((match.start(), match.end(), "section", section.anchor))
    links: dict[str, str] = {}
    for rec in Recommendation.objects.filter(plan=plan, retired=False).select_related("plan"):
        match = _quote_pattern(rec.quote).search(text)
        if match:
            spans.append((match.start(), match.end(), "rec", rec.slug))
            links[rec.slug] = rec.get_absolute_url()
    spans.sort()
    out: list[str] = []
    position = 0
    for start, end, kind, ident in spans:
        if start < position:
            # Overlapping quotes (one clause inside another): anchor the later one at the boundary.
            if kind == "rec":
                out.append(f'<span id="rec-{html.escape(ident)}"></span>')
            continue
        out.append(html.escape(text[position:start]))
        fragment = html.escape(text[start:end])
        if kind == "section":
            out.append(f'<strong id="{ident}" class="source-heading">{fragment}</strong>')
        else:
            label = html.escape(ident)
            out.append(f'<mark id="rec-{label}">{fragment}</mark> '
                       f'<a class="govuk-link tracker-rec-ref" href="{links[ident]}">{label}</a>')
        position = end
    out.append(html.escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def _value_forms(value: float | None) -> list[str]:
    """How a figure may be written in the plan's text: 215000 as "215,000" or "215000"; 4.5 as "4.5".
    A fact with no figure (a stated state, such as a charter signed) has none."""
    if value is None:
        return []
    if float(value).is_integer():
        whole = int(value)
        return sorted({f"{whole:,}", str(whole)}, key=len, reverse=True)
    return [f"{value:g}"]


def recommendation_facts(recommendation: Recommendation) -> tuple[list[Fact], int]:
    """The stated figures that belong on a recommendation's page, and how many others its section has.

    A figure belongs when the recommendation's own words (quote, criteria, targets) state it; the
    rest of the section's figures stay on the section page (issue 13: every recommendation in a
    section repeated all of its figures)."""
    facts = list(recommendation.section.facts.all())
    words = " ".join([recommendation.quote, *(c.text for c in recommendation.criteria.all()),
                      *(t.description for t in recommendation.targets.all())])
    own = [fact for fact in facts if any(
        re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d])", words) for form in _value_forms(fact.value))]
    return own, len(facts) - len(own)


@dataclass(frozen=True)
class AddresseeLine:
    """One part of "who must act": bodies with the same role, and (for closed bodies) the same
    successor, said together: "Black Country LEP, GBSLEP (lead; closed, now accountable through WMCA)"."""

    organisations: tuple[Organisation, ...]
    role: str
    accountable: Organisation | None  # set when these bodies closed and another answers for them
    ended: str  # the latest year they closed, when known


def addressee_lines(recommendation: Recommendation) -> list[AddresseeLine]:
    groups: dict[tuple[str, int | None], list[Organisation]] = {}
    successors: dict[tuple[str, int | None], Organisation] = {}
    for addressee in recommendation.addressees.select_related("organisation"):
        accountable = organisation_accountable(addressee.organisation)
        closed = accountable.pk != addressee.organisation.pk
        key = (addressee.get_role_display().lower(), accountable.pk if closed else None)
        groups.setdefault(key, []).append(addressee.organisation)
        if closed:
            successors[key] = accountable
    lines = []
    for (role, _), organisations in groups.items():
        key = (role, _)
        ended = max((o.ended for o in organisations if o.ended), default=None)
        if key in successors:
            lines.append(AddresseeLine(tuple(organisations), role, successors[key], f"{ended:%Y}" if ended else ""))
        else:
            lines.extend(AddresseeLine((o,), role, None, "") for o in organisations)
    return lines
