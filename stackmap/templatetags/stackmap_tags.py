"""Tags for the stack map's pages. chip and cite are written in Python, not as included
templates, because the diagram renders them once per mapping (thousands at foundation scale,
see benchmarks/STACK.md)."""

from django import template
from django.urls import NoReverseMatch
from django.utils.html import format_html

register = template.Library()


@register.filter
def meeting_url(meeting):
    """The meeting's page, or "" while the meetings pages are not mounted (then: plain text)."""
    try:
        return meeting.get_absolute_url()
    except NoReverseMatch:
        return ""


def _time(date):
    return format_html('<time datetime="{0}">{0}</time>', date.isoformat())


@register.simple_tag
def cite(fact):
    """Where a fact comes from: the committee meeting (linked), a link, or words."""
    if fact.source_meeting_id:
        meeting = fact.source_meeting
        label = format_html("Committee meeting of {}", _time(meeting.local_start.date()))
        url = meeting_url(meeting)
        return format_html('<a href="{}">{}</a>', url, label) if url else label
    if fact.source_date:
        return format_html(
            'Committee meeting of {} <span class="text-body-secondary">(not in MWI yet)</span>',
            _time(fact.source_date),
        )
    text = fact.source_text if len(fact.source_text) <= 120 else fact.source_text[:119] + "…"
    if fact.source_url:
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow">{}</a>',
            fact.source_url,
            text or fact.source_url,
        )
    if text:
        return text
    return format_html('<span class="text-body-secondary">{}</span>', "no source")


@register.simple_tag
def chip(chip):
    """A project chip of the diagram: coloured by stage, dashed when inferred, bold if primary."""
    mapping = chip.mapping
    classes = f"chip chip-{chip.kind}"
    classes += " chip-inferred" if chip.inferred else ""
    classes += " chip-primary" if chip.primary else ""
    details = f"{chip.kind_label}, {mapping.role}" + (", inferred" if chip.inferred else "")
    return format_html(
        '<a class="{}" href="{}" title="{}">{}<span class="visually-hidden"> ({})</span></a>',
        classes,
        chip.project.get_absolute_url(),
        f"{chip.kind_label}, {mapping.role}, {mapping.provenance}",
        chip.project.name,
        details,
    )


@register.simple_tag
def more_chips(column, query=""):
    """The diagram's "and 214 more" item for a block whose chips are not all drawn: a link to
    the block's page, which lists every project mapped there."""
    hosted, external = column.hidden
    if not hosted and not external:
        return ""
    parts = [f"{n} {what}" for n, what in ((hosted, "hosted"), (external, "external")) if n]
    return format_html(
        '<li class="small stack-more"><a href="{}{}">and {} more</a> ({})</li>',
        column.block.get_absolute_url(),
        query,
        hosted + external,
        ", ".join(parts),
    )
