"""Parsing the update form into an ``UpdateData``, with GOV.UK-style messages per field.

A plain class rather than a Django Form: the page needs a date split into day, month and year
(day optional for month-only dates), several files, and field names shared with the services'
errors, so the error summary and the field messages come from one dict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from recovery_tracker.accounts.permissions import user_organisations
from recovery_tracker.catalogue.models import Organisation, Recommendation
from recovery_tracker.catalogue.selectors import recommendation_bodies
from recovery_tracker.progress import permissions
from recovery_tracker.progress.models import DatePrecision, Response, Update, Voice
from recovery_tracker.progress.services import UpdateData

FIELD_ORDER = ["writer", "date", "title", "status", "progress", "response", "response_url", "response_reason",
               "target_date", "target_date_reason", "narrative", "links", "documents", "body", "voice"]


@dataclass(frozen=True)
class WriterChoice:
    """Who writes (organisation), in which voice, about which addressed body."""

    organisation: Organisation
    voice: str
    body: Organisation

    @property
    def value(self) -> str:
        return f"{self.organisation.pk}:{self.voice}:{self.body.pk}"

    @property
    def label(self) -> str:
        if self.voice == Voice.SELF_REPORT:
            own = "" if self.body == self.organisation else f" (answering for {self.body.name})"
            return f"{self.organisation.name}: own account{own}"
        return f"{self.organisation.name}: independent assessment of {self.body.name}"


def writer_choices(user: Any, recommendation: Recommendation) -> list[WriterChoice]:
    """Every (organisation, voice, body) the user may draft for this recommendation."""
    choices = []
    # Members of a group addressee are bodies in their own right: each council answers for itself.
    addressed = [b.organisation for b in recommendation_bodies(recommendation)]
    for organisation in user_organisations(user):
        for body in addressed:
            if permissions.can_draft_update(user, recommendation, organisation, body):
                choices.append(WriterChoice(organisation, Voice.SELF_REPORT, body))
        if permissions.can_assess(user, recommendation, organisation):
            choices.extend(WriterChoice(organisation, Voice.INDEPENDENT_ASSESSMENT, body) for body in addressed)
    return choices


def _date_parts(post: QueryDict, prefix: str, label: str, *, required: bool,
                allow_month: bool) -> tuple[dt.date | None, str, str | None]:
    """(date, precision, error) from <prefix>_day, _month, _year."""
    day, month, year = (post.get(f"{prefix}_{p}", "").strip() for p in ("day", "month", "year"))
    if not (day or month or year):
        return None, DatePrecision.DAY, (f"Enter {label}" if required else None)
    if not month or not year:
        return None, DatePrecision.DAY, f"{label.capitalize()} must include a month and a year"
    if not day and not allow_month:
        return None, DatePrecision.DAY, f"{label.capitalize()} must include a day"
    try:
        value = dt.date(int(year), int(month), int(day or 1))
    except ValueError:
        return None, DatePrecision.DAY, f"{label.capitalize()} must be a real date, like 31 3 2025"
    if value.year < 2000:
        return None, DatePrecision.DAY, f"{label.capitalize()} must be 2000 or later; enter the year in full"
    return value, (DatePrecision.DAY if day else DatePrecision.MONTH), None


def _links(text: str) -> tuple[list[tuple[str, str]], str | None]:
    links = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        url, _, title = line.partition(" ")
        links.append((url, title.strip()))
    return links, None


class UpdateForm:
    """The "draft an update" form. ``values`` re-fill every field after an error, so nothing typed is lost."""

    def __init__(self, *, recommendation: Recommendation, choices: list[WriterChoice],
                 post: QueryDict | None = None, files: MultiValueDict | None = None,
                 instance: Update | None = None) -> None:
        self.recommendation = recommendation
        self.choices = choices
        self.instance = instance
        self.errors: dict[str, str] = {}
        self.post = post
        self.files = files.getlist("documents") if files is not None else []
        self.writer: WriterChoice | None = None
        self.data: UpdateData | None = None
        if post is not None:
            self.values = {key: post.get(key, "") for key in post}
        elif instance is not None:
            self.values = self._from_instance(instance)
        else:
            self.values = {}

    @staticmethod
    def _from_instance(update: Update) -> dict[str, str]:
        values = {
            "writer": f"{update.organisation_id}:{update.voice}:{update.body_id}",
            "title": update.title, "status": update.status,
            "progress": "" if update.progress is None else f"{round(update.progress * 100)}",
            "response": update.response, "response_url": update.response_url,
            "response_reason": update.response_reason, "target_date_reason": update.target_date_reason,
            "narrative": update.narrative, "lock_version": str(update.lock_version),
            "links": "\n".join(f"{link.url} {link.title}".strip() for link in update.links.all()),
            "date_day": str(update.date.day) if update.date_precision == DatePrecision.DAY else "",
            "date_month": str(update.date.month), "date_year": str(update.date.year),
        }
        if update.target_date:
            values.update(target_date_day=str(update.target_date.day), target_date_month=str(update.target_date.month),
                          target_date_year=str(update.target_date.year))
        return values

    def is_valid(self) -> bool:
        assert self.post is not None
        post = self.post
        if self.instance is not None:
            self.writer = WriterChoice(self.instance.organisation, self.instance.voice, self.instance.body)
        else:
            self.writer = next((c for c in self.choices if c.value == post.get("writer", "")), None)
            if self.writer is None:
                self.errors["writer"] = "Choose who is writing and which body the update is about"
        date, precision, error = _date_parts(post, "date", "the date of the update", required=True,
                                             allow_month=True)
        if error:
            self.errors["date"] = error
        target_date, _, error = _date_parts(post, "target_date", "the target date", required=False,
                                            allow_month=False)
        if error:
            self.errors["target_date"] = error
        progress = None
        if post.get("progress", "").strip():
            try:
                progress = float(post["progress"].strip().rstrip("%")) / 100
            except ValueError:
                self.errors["progress"] = "Progress must be a number from 0 to 100"
        response = post.get("response", "")
        if self.writer is not None and self.writer.voice != Voice.SELF_REPORT:
            response = ""  # the assessor's page never offers a response; ignore a forged one quietly
        links, _ = _links(post.get("links", ""))
        if self.errors:
            return False
        self.data = UpdateData(
            date=date, date_precision=precision, body=self.writer.body, title=post.get("title", ""),
            status=post.get("status", ""), progress=progress, response=response,
            response_url=post.get("response_url", "").strip(), response_reason=post.get("response_reason", ""),
            target_date=target_date, target_date_reason=post.get("target_date_reason", ""),
            narrative=post.get("narrative", ""), links=links,
        )
        return True

    def add_errors(self, errors: dict[str, str]) -> None:
        self.errors.update(errors)

    @property
    def ordered_errors(self) -> list[tuple[str, str]]:
        rank = {name: i for i, name in enumerate(FIELD_ORDER)}
        return sorted(self.errors.items(), key=lambda item: rank.get(item[0], 99))

    @property
    def offers_self_report(self) -> bool:
        return any(choice.voice == Voice.SELF_REPORT for choice in self.choices)

    @property
    def responses(self) -> list[tuple[str, str]]:
        return list(Response.choices)
