"""The agenda a new meeting starts with: the committee's template, then the open work.

Like OpenProject's agenda backlog: what was agreed and is not done yet comes back on the next
agenda by itself, each item with its owner (as a mention, so it links) and due date.
"""

from .models import ActionItem
from .topics import OPEN_ITEMS_HEADING


def open_items_markdown(committee):
    """A Markdown section listing the committee's open action items (1 query); "" if none."""
    items = list(
        ActionItem.objects.open()
        .filter(meeting__committee=committee)
        .select_related("owner", "meeting")
        .order_by("due", "meeting__start", "pk")
    )
    if not items:
        return ""
    lines = [f"## {OPEN_ITEMS_HEADING}", ""]
    for item in items:
        owner = f"@[{item.owner.name}]" if item.owner_id else "nobody yet"
        due = f", due {item.due:%d %b %Y}" if item.due else ""
        text = " ".join(item.text.split())
        lines.append(f"- {text} ({owner}{due})")
    return "\n".join(lines)


def initial_agenda(committee):
    """The committee's agenda template followed by its open action items (Markdown)."""
    parts = [committee.agenda_template.strip(), open_items_markdown(committee)]
    return "\n\n".join(p for p in parts if p) + ("\n" if any(parts) else "")
