"""Import the committee's stack file (see stackmap/data/mlworkflow-stack-2020.yml).

The file lists blocks, projects (with acceptance and graduation dates), mappings, integrations
with their status history, use cases, the committee meetings it draws on, and a table of
sources that every fact cites by id. Rules the importer applies:

- A fact cites a committee meeting when its date is one of the file's `meetings:` dates and it
  cites the meeting log (a source of kind `wiki-copy` or `meeting-log`); it is linked to the
  committee's Meeting on that date if there is one, else the date is kept for relinking.
- A fact whose date equals a cited source's own date cites that source; otherwise all its
  sources are named and the first with a URL is linked.
- Stages: `accepted` starts the project incubating (or at its end-of-year stage when it never
  had a graduation date, as Acumos and ONNX joined as graduated); `graduated` and `archived`
  dates add those stages.
- Integration status `partial` is recorded as in progress (the note says partial); `unknown`
  records nothing.

Re-running is idempotent: rows are matched by their natural keys and saved only when changed.
"""

import datetime as dt

from django.db import transaction

from participants.models import name_key

from . import yamlfile
from .models import (
    Block,
    Integration,
    IntegrationStatus,
    IntegrationStatusChange,
    Mapping,
    Project,
    Stage,
    StageEvent,
    UseCase,
    repo_key,
    unique_slug,
)
from .sources import meetings_on, relink_champions, relink_sources
from .yamlfile import InputError, line_of

MEETING_LOG_KINDS = {"wiki-copy", "meeting-log", "minutes"}
PROVENANCE = {"sourced": "confirmed", "confirmed": "confirmed", "inferred": "inferred"}
STATUS = {
    "proposed": IntegrationStatus.PROPOSED,
    "in-progress": IntegrationStatus.IN_PROGRESS,
    "in_progress": IntegrationStatus.IN_PROGRESS,
    "partial": IntegrationStatus.IN_PROGRESS,
    "done": IntegrationStatus.DONE,
    "stalled": IntegrationStatus.STALLED,
}


def _date(value, line, what):
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{what}: {value!r} is not a date (YYYY-MM-DD)", line) from None


def _require(row, keys, what):
    if not isinstance(row, dict):
        raise InputError(f"each {what} must be a mapping", None)
    missing = [key for key in keys if row.get(key) in (None, "")]
    if missing:
        raise InputError(f"{what} without {', '.join(missing)}", line_of(row))


def _upsert(model, lookup, values):
    """get-or-create by lookup, then save only the fields that differ (no empty history rows)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), True
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    for field in changed:
        setattr(obj, field, values[field])
    if changed:
        obj.save(update_fields=changed)
    return obj, False


class _Sources:
    """Turns a fact's cited source ids and date into Sourced field values."""

    def __init__(self, rows, meeting_dates, committee):
        self.rows = {}
        for row in rows or []:
            _require(row, ["id"], "source")
            self.rows[row["id"]] = row
        self.meeting_dates = meeting_dates
        self.meetings = meetings_on(committee, meeting_dates)

    def cite(self, ids, date, line):
        ids = list(ids or [])
        for source_id in ids:
            if source_id not in self.rows:
                raise InputError(f"unknown source {source_id!r}", line)
        cited = [self.rows[i] for i in ids]
        fields = {"source_meeting": None, "source_date": None, "source_url": "", "source_text": ""}
        if (
            date
            and date in self.meeting_dates
            and any(row.get("kind") in MEETING_LOG_KINDS for row in cited)
        ):
            fields["source_date"] = date
            fields["source_meeting"] = self.meetings.get(date)
            fields["source_text"] = f"Committee meeting of {date:%Y-%m-%d}"
            return fields
        same_day = [row for row in cited if date and str(row.get("date", "")) == str(date)]
        cited = same_day or cited
        fields["source_text"] = "; ".join(
            row.get("title") or f"{row.get('kind', 'source')} {row['id']}" for row in cited
        )[:500]
        fields["source_url"] = next((row["url"] for row in cited if row.get("url")), "")[:500]
        return fields


def _first_stage(row):
    if row.get("graduated"):
        return Stage.INCUBATING
    return row.get("stage_end_2019") or row.get("stage_end_2020") or Stage.INCUBATING


@transaction.atomic
def import_stack(text, *, committee=None):
    """Import the stack file's text; returns a one-line summary. Raises InputError."""
    data = yamlfile.load(text)
    if not isinstance(data, dict):
        raise InputError("the file must be a mapping with blocks, projects, mappings...", 1)
    meeting_dates = set()
    for row in data.get("meetings") or []:
        _require(row, ["date"], "meeting")
        meeting_dates.add(_date(row["date"], line_of(row), "meeting date"))
    sources = _Sources(data.get("sources"), meeting_dates, committee)
    counts = dict.fromkeys(
        ["blocks", "projects", "stages", "mappings", "integrations", "changes", "use cases"], 0
    )

    blocks = {}
    for row in data.get("blocks") or []:
        _require(row, ["id", "name"], "block")
        blocks[row["id"]], _ = _upsert(
            Block,
            {"slug": row["id"]},
            {
                "name": row["name"],
                "order": int(row.get("order") or 0),
                "description": row.get("description") or "",
                "cross_cutting": bool(row.get("cross_cutting")),
                "landscape_paths": list(row.get("landscape_2020_equivalents") or []),
            },
        )
        counts["blocks"] += 1

    projects = {}
    for row in data.get("projects") or []:
        _require(row, ["id", "name"], "project")
        line = line_of(row)
        existing = (
            Project.objects.filter(slug=row["id"]).first()
            or Project.objects.filter(name_key=name_key(row["name"])).first()
            or (row.get("repo") and Project.objects.filter(repo_key=repo_key(row["repo"])).first())
        )
        values = {
            "name": row["name"],
            "homepage": row.get("homepage") or "",
            "repo": row.get("repo") or "",
            "hosted": bool(row.get("hosted")),
            "landscape_path": row.get("landscape_path_2020") or "",
            "description": row.get("note") or "",
        }
        if existing is None:
            taken = set(Project.objects.values_list("slug", flat=True))
            project = Project.objects.create(slug=unique_slug(row["id"], taken), **values)
        else:
            # The file describes 2020: it may add hosting and a landscape path, never take
            # back what a later landscape import or an editor recorded.
            values["hosted"] = values["hosted"] or existing.hosted
            values["landscape_path"] = existing.landscape_path or values["landscape_path"]
            if not values["description"]:
                values.pop("description")  # keep a description written in MWI
            project, _ = _upsert(Project, {"pk": existing.pk}, values)
        projects[row["id"]] = project
        counts["projects"] += 1

        stages = []
        if row.get("accepted"):
            stages.append((_first_stage(row), _date(row["accepted"], line, "accepted")))
        for stage in (Stage.GRADUATED, Stage.ARCHIVED):
            if row.get(stage):
                stages.append((stage, _date(row[stage], line, stage)))
        for stage, date in stages:
            if stage not in Stage.values:
                raise InputError(f"unknown stage {stage!r}", line)
            readme = [s for s in row.get("sources") or [] if s == "S-PP-README"]
            _upsert(
                StageEvent,
                {"project": project, "stage": stage, "date": date},
                sources.cite(readme or row.get("sources"), date, line),
            )
            counts["stages"] += 1

    def lookup(table, key, row, what):
        if key not in table:
            raise InputError(f"{what} {key!r} is not defined in the file", line_of(row))
        return table[key]

    for row in data.get("mappings") or []:
        _require(row, ["project", "block"], "mapping")
        line = line_of(row)
        provenance = PROVENANCE.get(row.get("provenance", "inferred"))
        if provenance is None:
            raise InputError(f"unknown provenance {row.get('provenance')!r}", line)
        role = row.get("role") or "primary"
        if role not in Mapping.Role.values:
            raise InputError(f"unknown role {role!r}", line)
        valid_from = _date(row.get("date"), line, "date")
        _upsert(
            Mapping,
            {
                "project": lookup(projects, row["project"], row, "project"),
                "block": lookup(blocks, row["block"], row, "block"),
                "valid_from": valid_from,
            },
            {
                "role": role,
                "provenance": provenance,
                "valid_to": _date(row.get("until"), line, "until"),
                "evidence": row.get("evidence") or "",
                **sources.cite(row.get("sources"), valid_from, line),
            },
        )
        counts["mappings"] += 1

    for row in data.get("integrations") or []:
        _require(row, ["a", "b"], "integration")
        line = line_of(row)
        a = lookup(projects, row["a"], row, "project")
        b = lookup(projects, row["b"], row, "project")
        integration = Integration.objects.filter(project_a=a, project_b=b).first()
        integration = integration or Integration.objects.filter(project_a=b, project_b=a).first()
        values = {"kind": row.get("kind") or "", "description": row.get("detail") or ""}
        if integration is None:
            integration = Integration.objects.create(project_a=a, project_b=b, **values)
        else:
            _upsert(Integration, {"pk": integration.pk}, values)
        counts["integrations"] += 1
        history = list(row.get("history") or [])
        if row.get("status") and row.get("as_of"):
            latest = {"date": row["as_of"], "status": row["status"], "note": ""}
            if not any(
                str(h.get("date")) == str(row["as_of"]) and h.get("status") == row["status"]
                for h in history
            ):
                history.append(latest)
        for change in history:
            change_line = line_of(change, line)
            if change.get("status") == "unknown":
                continue
            status = STATUS.get(change.get("status"))
            if status is None:
                raise InputError(
                    f"unknown integration status {change.get('status')!r}", change_line
                )
            date = _date(change.get("date"), change_line, "date")
            if date is None:
                raise InputError("status change without a date", change_line)
            note = change.get("note") or ""
            if change["status"] == "partial":
                note = f"Partial. {note}".strip()
            _upsert(
                IntegrationStatusChange,
                {"integration": integration, "date": date, "status": status},
                {"note": note, **sources.cite(row.get("sources"), date, change_line)},
            )
            counts["changes"] += 1

    for row in data.get("use_cases") or []:
        _require(row, ["id", "name"], "use case")
        line = line_of(row)
        agreed = _date(row.get("agreed"), line, "agreed")
        use_case, _ = _upsert(
            UseCase,
            {"slug": row["id"]},
            {
                "name": row["name"],
                "order": int(row.get("order") or 0),
                "description": row.get("description") or "",
                "agreed": agreed,
                "champion_name": row.get("lead") or "",
                "gap_note": row.get("gap_note") or "",
                **sources.cite(_use_case_sources(row, sources), agreed, line),
            },
        )
        use_case.blocks.set([lookup(blocks, b, row, "block") for b in row.get("blocks") or []])
        use_case.projects.set(
            [
                lookup(projects, c.get("project"), c, "project")
                for c in row.get("candidate_projects") or []
            ]
        )
        counts["use cases"] += 1

    linked = relink_sources(committee) + relink_champions()
    summary = ", ".join(f"{n} {what}" for what, n in counts.items())
    return f"Imported {summary}; {linked} links to meetings and people added."


def _use_case_sources(row, sources):
    # Use cases cite the meeting log when their agreement date is a committee meeting.
    return [sid for sid, src in sources.rows.items() if src.get("kind") in MEETING_LOG_KINDS]
