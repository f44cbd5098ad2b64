"""The report as Markdown, for pasting into a blog post.

Plain CommonMark with pipe tables (GitHub-flavoured), which every common blog editor accepts.
Charts cannot travel in Markdown, so each target shows its verdict and its figures as a table.
"""

from __future__ import annotations

from django.utils.timezone import localtime

from recovery_tracker.engine.formatting import day
from recovery_tracker.engine.safe_text import markdown_escape, safe_url
from recovery_tracker.reports.data import NO_RECOMMENDATIONS, RecommendationEntry, ReportData, VoiceView


def _cell(text: object) -> str:
    # A pipe or a line break inside a cell would end the cell or the table.
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _link(title: str, url: str) -> str:
    """A link from stored values: the title made literal, the address only if http(s)/mailto."""
    address = safe_url(url)
    if not address:
        return markdown_escape(title)
    # A parenthesis would end a plain link destination early; the <...> form holds it.
    destination = f"<{address}>" if "(" in address or ")" in address else address
    return f"[{markdown_escape(title)}]({destination})"


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]



def _voice(voice: VoiceView) -> str:
    text = voice.status
    if voice.since:
        text += f" (since {day(voice.since)})"
    if voice.overdue:
        text += ", overdue"
    return text


def _recommendation(entry: RecommendationEntry) -> list[str]:
    out = [f"### {entry.slug} {entry.title}", ""]
    if entry.url:
        out += [f"[Full history on the tracker]({entry.url})", ""]
    out += [f"> {line}" if line else ">" for line in entry.quote.splitlines()] + [""]
    out += [f"**Who must act:** {', '.join(entry.who_must_act) or 'not stated'}  ",
            f"**Kind:** {entry.kind}, {entry.modality}" + (
                f"  \n**Progress:** {entry.progress_percent}%" if entry.progress_percent is not None else ""), ""]
    if entry.bodies:
        out += _table(
            ["Body", "Response", "Own account", "Independent assessment"],
            [[f"{b.name} ({b.role})", b.own.response, _voice(b.own), _voice(b.independent)] for b in entry.bodies],
        )
    if entry.flags:
        out += ["**Needs more action:**", ""]
        out += [f"- {f.title}: {f.reason}" for f in entry.flags] + [""]
    if entry.evidence:
        out += [f"**Latest evidence** ({entry.evidence_count} in all):", ""]
        for item in entry.evidence:
            links = ", ".join(_link(link.title, link.url) for link in item.links)
            out.append(f"- {item.date_display}, {item.organisation} ({item.voice}): {markdown_escape(item.title)}"
                       + (f" ({links})" if links else ""))
        out.append("")
    for target in entry.targets:
        deadline = f" (deadline {day(target.deadline)})" if target.deadline else ""
        out.append(f"**Target:** {target.description}{deadline}")
        if target.verdict_label:
            details = "; ".join(x for x in (f"latest {target.current}" if target.current else "",
                                            f"projected {target.projection}" if target.projection else "",
                                            f"needed {target.required}" if target.required else "") if x)
            out.append(f"**Verdict:** {target.verdict_label}" + (f" ({details})" if details else ""))
        if target.note:
            out.append(f"_{target.note}_")
        if target.release:
            out.append(f"_{target.release}_")
        out.append("")
        if target.chart:
            out += [f"_Chart: {target.chart.alt}_", ""]
        if target.table:
            out += _table(["Period", "Value"], [list(row) for row in target.table])
    return out


def render_markdown(report: ReportData, *, generated_prefix: str = "Generated ") -> str:
    s = report.summary
    out = [
        f"# {report.plan_title}: progress as at {day(report.as_at)}", "",
        f"Plan published by {report.publisher} on {day(report.published)}. "
        f"Data version `{report.data_version}`.", "",
        f"_{generated_prefix}{localtime(report.generated_at):%Y-%m-%d %H:%M %Z} by Recovery Tracker._", "",
    ]

    out += ["## Summary", "", f"{s.recommendation_count} recommendations in {s.section_count} sections.", ""]
    answer = report.answer
    if answer is not None:
        out += [f"### Where the plan stands, as at {day(answer.as_at)}", "",
                f"- Assessed: {answer.coverage_text}",
                f"- Statuses (of {answer.bodies} bodies, each council counted separately): "
                + ", ".join(f"{c.count} {c.label.lower()}" for c in answer.status_counts) + ".",
                f"- Progress: {answer.progress_text}",
                f"- Targets: {answer.targets_text}",
                "- Most needing action: " + ("; ".join(f"{a.recommendation} {a.title} ({a.first_flag.lower()})"
                                                      for a in answer.most_action) or "nothing flagged") + ".",
                "- Latest published: " + ("; ".join(
                    f"{c.date_display}, {markdown_escape(c.title)}"
                    + (f" ({c.count} updates on {c.recommendations} recommendations)" if c.count > 1 else "")
                    for c in answer.latest_changes) or "nothing published") + ".", ""]
    progress = f"{s.progress_percent}%" if s.progress_percent is not None else "not assessed"
    out += [f"Plan-wide progress: **{progress}** across {s.assessed} of {s.recommendation_count} recommendations "
            f"({s.not_assessed} not yet assessed or with no public evidence found). {s.trend_text}", "",
            f"**{s.flagged_count}** recommendations are flagged as needing more action.", ""]
    out += _table([f"Status (of {s.pair_count} recommendation–body pairs)", "Count"],
                  [[c.label, c.count] for c in s.status_counts])
    out += _table(["Response", "Count"], [[c.label, c.count] for c in s.response_counts])
    out += _table(["Date", "Plan-wide progress", "Assessed", "Not assessed"],
                  [[day(p.date), f"{p.percent:g}%" if p.percent is not None else "not assessed",
                    p.assessed, p.not_assessed] for p in s.trend])
    out += [f"Targets: {s.targets_total} in all; {s.targets_on_track} on track, {s.targets_off_track} off track, "
            f"{s.targets_no_verdict} without a verdict.", ""]

    out += ["## Where more action is needed", ""]
    if report.flagged_note:
        out += [report.flagged_note, ""]
    for item in report.flagged:
        # Bold, not a heading: the recommendation's heading belongs to its section chapter below.
        out += [f"**{item.slug} {item.title}**  ",
                f"Worst: {item.worst}. Section {item.section}. Who must act: {', '.join(item.who_must_act)}.", ""]
        out += [f"- **{f.title}** ({f.severity}): {f.reason}" for f in item.flags] + [""]

    for chapter in report.sections:
        heading = f"## {chapter.number} {chapter.title}"
        out += [heading, ""]
        if chapter.progress_percent is not None:
            out += [f"Section progress: {chapter.progress_percent}%.", ""]
        if not chapter.entries:
            out += [NO_RECOMMENDATIONS, ""]
        for entry in chapter.entries:
            out += _recommendation(entry)

    out += ["## The figures the plan stated", ""]
    out += _table(["Figure", "Statement", "Refers to", "Cross-checks"], [
        [f.value, f"“{f.statement}”", ", ".join(x for x in (f.geography, f.as_of, f.source) if x),
         " ".join(f"{c.label}: {c.message}" for c in f.checks) or "none"]
        for f in report.figures
    ])

    c = report.changes
    if c.since_last_publication:
        out += ["## What changed since the last published report", "",
                f"Between {day(c.since)} (the as-at date of the last published report) and {day(c.as_at)}.", ""]
    else:
        out += [f"## What changed between {day(c.since)} and {day(c.as_at)}", ""]
    out += ["### Status changes", ""]
    out += _table(["Date", "Recommendation", "Body", "Voice", "From", "To"],
                  [[day(x.date), x.recommendation, x.body, x.voice, x.before, x.after] for x in c.status_changes]
                  ) if c.status_changes else ["None in this period.", ""]
    out += ["### Response changes", ""]
    out += _table(["Date", "Recommendation", "Body", "From", "To"],
                  [[day(x.date), x.recommendation, x.body, x.before, x.after] for x in c.response_changes]
                  ) if c.response_changes else ["None in this period.", ""]
    for heading, flags in (("New flags", c.new_flags), ("Flags cleared", c.cleared_flags)):
        out += [f"### {heading}", ""]
        out += [f"- {x.recommendation}: {x.title} ({x.body})" for x in flags] + [""] if flags else [
            "None in this period.", ""]
    out += ["### New evidence", ""]
    out += [f"- {e.date_display}, {e.recommendation}: {markdown_escape(e.title)} ({e.organisation}, {e.voice})"
            + "".join(f" {_link(link.title, link.url)}" for link in e.links) for e in c.new_evidence
            ] + [""] if c.new_evidence else ["None in this period.", ""]
    out += ["### New statistics", ""]
    out += _table(["Released", "Indicator", "Period", "Area", "Value", "Source"],
                  [[day(x.release_date), x.indicator, x.period, x.geography, x.value,
                    _link(x.source, x.source_url) if x.source_url else markdown_escape(x.source)]
                   for x in c.new_statistics]
                  ) if c.new_statistics else ["None in this period.", ""]

    m = report.methods
    out += ["## Methods and sources", "", "### How progress is added up", "", m.rollup_text, "",
            "### Where more action is needed: the rules", ""]
    out += [f"- **{r.title}.** {r.description}" for r in m.rules] + [""]
    out += ["### How targets are measured", "", m.progress_measure_text, "", "### Sources", ""]
    out += _table(["Source", "Released", "Used for"],
                  [[_link(x.title, x.url) if x.url else x.title, x.released, x.used_for] for x in m.sources])
    if m.caveats:
        out += ["### Caveats on the statistics", ""]
        out += [f"- **{markdown_escape(name)}**: {markdown_escape(caveat)}" for name, caveat in m.caveats] + [""]
    return "\n".join(out).rstrip() + "\n"
