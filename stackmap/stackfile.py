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
- Every URL (a source's `url`, a project's `homepage` and `repo`) must be http or https, the
  admin's rule (`mwi.lib.importing.clean_url`).

The importer has the shape of every MWI importer (`mwi.lib.importing`): the YAML is parsed,
then each section is validated and applied in order by its own function, each row written with
`upsert` (matched by its natural key, saved only when changed, so re-running is idempotent).
Bad input raises InputError(line, message); the caller's transaction then writes nothing.
"""

import datetime as dt

from mwi.lib.importing import InputError, Report, clean_url, create, update, upsert
from mwi.lib.text import name_key

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
from .yamlfile import line_of

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
        raise InputError(line, f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def _require(row, keys, what, line=None):
    if not isinstance(row, dict):
        raise InputError(line, f"each {what} must be a mapping")
    missing = [key for key in keys if row.get(key) in (None, "")]
    if missing:
        raise InputError(line_of(row), f"{what} without {', '.join(missing)}")


def _lookup(table, key, row, what):
    if key not in table:
        raise InputError(line_of(row), f"{what} {key!r} is not defined in the file")
    return table[key]


class _Sources:
    """Turns a fact's cited source ids and date into Sourced field values."""

    def __init__(self, rows, meeting_dates, committee):
        self.rows = {}
        for row in rows or []:
            _require(row, ["id"], "source")
            clean_url(row.get("url"), line=line_of(row), field="url")
            self.rows[row["id"]] = row
        self.meeting_dates = meeting_dates
        self.meetings = meetings_on(committee, meeting_dates)

    def cite(self, ids, date, line):
        ids = list(ids or [])
        for source_id in ids:
            if source_id not in self.rows:
                raise InputError(line, f"unknown source {source_id!r}")
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
        url = next((row["url"] for row in cited if row.get("url")), "")
        fields["source_url"] = clean_url(url)[:500]  # checked with its line in __init__
        return fields


def _first_stage(row):
    if row.get("graduated"):
        return Stage.INCUBATING
    return row.get("stage_end_2019") or row.get("stage_end_2020") or Stage.INCUBATING


def parse(text):
    """The stack file's YAML as a mapping of sections; InputError on bad YAML."""
    data = yamlfile.load(text)
    if not isinstance(data, dict):
        raise InputError(1, "the file must be a mapping with blocks, projects, mappings...")
    return data


def import_stack(text, *, committee=None, report=None):
    """Import the stack file's text into the stack map; returns the Report.

    `committee` held the meetings the file's dates refer to (None: facts keep their dates for
    relinking). Raises InputError(line, message); run it inside `applying()` (or another
    transaction) so that an error writes nothing.
    """
    data = parse(text)
    report = report if report is not None else Report()
    meeting_dates = set()
    for row in data.get("meetings") or []:
        _require(row, ["date"], "meeting")
        meeting_dates.add(_date(row["date"], line_of(row), "meeting date"))
    sources = _Sources(data.get("sources"), meeting_dates, committee)
    blocks = _blocks(data.get("blocks") or [], report)
    projects = _projects(data.get("projects") or [], sources, report)
    _mappings(data.get("mappings") or [], projects, blocks, sources, report)
    _integrations(data.get("integrations") or [], projects, sources, report)
    _use_cases(data.get("use_cases") or [], projects, blocks, sources, report)
    linked = relink_sources(committee) + relink_champions()
    report.notes.append(f"{linked} links to meetings and people added.")
    return report


def _blocks(rows, report):
    """{file id: Block}."""
    blocks = {}
    for row in rows:
        _require(row, ["id", "name"], "block")
        blocks[row["id"]] = upsert(
            Block,
            {"slug": row["id"]},
            {
                "name": row["name"],
                "order": int(row.get("order") or 0),
                "description": row.get("description") or "",
                "cross_cutting": bool(row.get("cross_cutting")),
                "landscape_paths": list(row.get("landscape_2020_equivalents") or []),
            },
            report=report,
        )
    return blocks


def _projects(rows, sources, report):
    """{file id: Project}, matched by slug, then name, then repository; with their stages."""
    projects = {}
    for row in rows:
        _require(row, ["id", "name"], "project")
        line = line_of(row)
        values = {
            "name": row["name"],
            "homepage": clean_url(row.get("homepage"), line=line, field="homepage"),
            "repo": clean_url(row.get("repo"), line=line, field="repo"),
            "hosted": bool(row.get("hosted")),
            "landscape_path": row.get("landscape_path_2020") or "",
            "description": row.get("note") or "",
        }
        existing = (
            Project.objects.filter(slug=row["id"]).first()
            or Project.objects.filter(name_key=name_key(row["name"])).first()
        )
        if existing is None and values["repo"]:
            existing = Project.objects.filter(repo_key=repo_key(values["repo"])).first()
        if existing is None:
            taken = set(Project.objects.values_list("slug", flat=True))
            project = create(Project, report=report, slug=unique_slug(row["id"], taken), **values)
        else:
            # The file describes 2020: it may add hosting and a landscape path, never take
            # back what a later landscape import or an editor recorded.
            values["hosted"] = values["hosted"] or existing.hosted
            values["landscape_path"] = existing.landscape_path or values["landscape_path"]
            if not values["description"]:
                values.pop("description")  # keep a description written in MWI
            update(existing, values, report=report)
            project = existing
        projects[row["id"]] = project
        _stages(project, row, sources, report)
    return projects


def _stages(project, row, sources, report):
    line = line_of(row)
    stages = []
    if row.get("accepted"):
        stages.append((_first_stage(row), _date(row["accepted"], line, "accepted")))
    for stage in (Stage.GRADUATED, Stage.ARCHIVED):
        if row.get(stage):
            stages.append((stage, _date(row[stage], line, stage)))
    for stage, date in stages:
        if stage not in Stage.values:
            raise InputError(line, f"unknown stage {stage!r}")
        readme = [s for s in row.get("sources") or [] if s == "S-PP-README"]
        upsert(
            StageEvent,
            {"project": project, "stage": stage, "date": date},
            sources.cite(readme or row.get("sources"), date, line),
            report=report,
            label="stages",
        )


def _mappings(rows, projects, blocks, sources, report):
    for row in rows:
        _require(row, ["project", "block"], "mapping")
        line = line_of(row)
        provenance = PROVENANCE.get(row.get("provenance", "inferred"))
        if provenance is None:
            raise InputError(line, f"unknown provenance {row.get('provenance')!r}")
        role = row.get("role") or "primary"
        if role not in Mapping.Role.values:
            raise InputError(line, f"unknown role {role!r}")
        valid_from = _date(row.get("date"), line, "date")
        upsert(
            Mapping,
            {
                "project": _lookup(projects, row["project"], row, "project"),
                "block": _lookup(blocks, row["block"], row, "block"),
                "valid_from": valid_from,
            },
            {
                "role": role,
                "provenance": provenance,
                "valid_to": _date(row.get("until"), line, "until"),
                "evidence": row.get("evidence") or "",
                **sources.cite(row.get("sources"), valid_from, line),
            },
            report=report,
        )


def _integrations(rows, projects, sources, report):
    for row in rows:
        _require(row, ["a", "b"], "integration")
        a = _lookup(projects, row["a"], row, "project")
        b = _lookup(projects, row["b"], row, "project")
        values = {"kind": row.get("kind") or "", "description": row.get("detail") or ""}
        integration = (
            Integration.objects.filter(project_a=a, project_b=b).first()
            or Integration.objects.filter(project_a=b, project_b=a).first()
        )  # one integration per pair, whichever way round it was first recorded
        if integration is None:
            integration = create(Integration, report=report, project_a=a, project_b=b, **values)
        else:
            update(integration, values, report=report)
        _status_history(integration, row, sources, report)


def _status_history(integration, row, sources, report):
    """The integration's status changes: its `history`, plus `status` as of `as_of`."""
    line = line_of(row)
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
            raise InputError(change_line, f"unknown integration status {change.get('status')!r}")
        date = _date(change.get("date"), change_line, "date")
        if date is None:
            raise InputError(change_line, "status change without a date")
        note = change.get("note") or ""
        if change["status"] == "partial":
            note = f"Partial. {note}".strip()
        upsert(
            IntegrationStatusChange,
            {"integration": integration, "date": date, "status": status},
            {"note": note, **sources.cite(row.get("sources"), date, change_line)},
            report=report,
            label="status changes",
        )


def _use_cases(rows, projects, blocks, sources, report):
    for row in rows:
        _require(row, ["id", "name"], "use case")
        line = line_of(row)
        agreed = _date(row.get("agreed"), line, "agreed")
        use_case = upsert(
            UseCase,
            {"slug": row["id"]},
            {
                "name": row["name"],
                "order": int(row.get("order") or 0),
                "description": row.get("description") or "",
                "agreed": agreed,
                "champion_name": row.get("lead") or "",
                "gap_note": row.get("gap_note") or "",
                **sources.cite(_use_case_sources(sources), agreed, line),
            },
            report=report,
        )
        use_case.blocks.set([_lookup(blocks, b, row, "block") for b in row.get("blocks") or []])
        use_case.projects.set(
            [
                _lookup(projects, c.get("project"), c, "project")
                for c in row.get("candidate_projects") or []
            ]
        )


def _use_case_sources(sources):
    # Use cases cite the meeting log when their agreement date is a committee meeting.
    return [sid for sid, src in sources.rows.items() if src.get("kind") in MEETING_LOG_KINDS]
