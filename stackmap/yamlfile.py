"""YAML reading that remembers line numbers, so importers can say where bad input is.

Two readers:

- `load(text)` (the stack file): PyYAML's safe loader; mappings load as LineDict (a dict with a
  `.line` attribute, 1-based); timestamps stay strings.
- `compose(text)` + `Reader` (landscape files): the node tree, read by the YAML 1.2 core
  schema as landscape2 does (serde_yaml): `NO`, `yes`, `on` are text, not booleans; a scalar
  read as text keeps its source spelling (`1.10` stays "1.10", `2024-05-14` stays a string);
  only `true`/`false` (any case of the three spellings) are booleans and `null`, `~` or nothing
  are null. Duplicate keys are errors, as in landscape2. libyaml composes (fast); the schema
  is ours, so PyYAML's YAML 1.1 resolution never applies.
"""

import re
from functools import partial

import yaml

from mwi.lib.importing import InputError


class LineDict(dict):
    line = None


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=deep))
        mapping.line = node.start_mark.line + 1
        return mapping


_Loader.add_constructor(
    "tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node, deep=True)
)
_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


def load(text):
    """Parse YAML text; syntax errors become InputError(line, message)."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise InputError(mark.line + 1 if mark else None, error.problem or str(error)) from None
    except yaml.YAMLError as error:
        raise InputError(None, str(error)) from None


def line_of(value, default=None):
    return getattr(value, "line", None) or default


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key and writes None as an empty value (`- item:`)."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


_Dumper.add_representer(
    type(None), lambda dumper, _: dumper.represent_scalar("tag:yaml.org,2002:null", "")
)
_Dumper.add_representer(LineDict, yaml.representer.SafeRepresenter.represent_dict)


def dump(data, stream=None):
    return yaml.dump(data, stream, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


# --- YAML 1.2 core schema over composed nodes (landscape files) --------------------------------

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
MAX_ERRORS = 50


def compose(text):
    """The YAML node tree of text (one document); syntax errors become
    InputError(line, message). Aliases compose to the node they name."""
    try:
        return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise InputError(mark.line + 1 if mark else None, error.problem or str(error)) from None
    except yaml.YAMLError as error:
        raise InputError(None, str(error)) from None


def node_line(node):
    """The 1-based line a node starts on."""
    return node.start_mark.line + 1


def is_scalar(node):
    return isinstance(node, yaml.ScalarNode)


def is_null(node):
    """A plain scalar that YAML 1.2 reads as null (`~`, `null`, nothing)."""
    return is_scalar(node) and not node.style and bool(_NULL.match(node.value))


def scalar_value(node):
    """A scalar node's value by the YAML 1.2 core schema, keeping text as spelled: None for
    null, True/False for the booleans, else the source text (quoted or not)."""
    if node.style:  # quoted, literal or folded: always text
        return node.value
    if _NULL.match(node.value):
        return None
    return _BOOL.get(node.value, node.value)


class Reader:
    """Turns composed nodes into plain data (dict, list, scalar_value) and collects problems as
    (line, message), up to MAX_ERRORS, so a file's errors are reported in one run."""

    def __init__(self):
        self.errors = []

    def error(self, node_or_line, message):
        line = node_or_line if isinstance(node_or_line, int | None) else node_line(node_or_line)
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line, message))

    @property
    def full(self):
        return len(self.errors) >= MAX_ERRORS

    def pairs(self, node, where):
        """{key text: (key node, value node)} of a mapping node, in order; a key given twice is
        an error (the first one is kept)."""
        found = {}
        for key, value in node.value:
            name = key.value if is_scalar(key) else None
            if name is None:
                self.error(key, f"{where}: a key must be text")
            elif name in found:
                self.error(
                    key,
                    f"{where}: `{name}` appears twice (first on line {node_line(found[name][0])})",
                )
            else:
                found[name] = (key, value)
        return found

    def data(self, node, where="value"):
        """Plain data of any node (1.2 scalars, lists, dicts), with duplicate keys reported."""
        if isinstance(node, yaml.MappingNode):
            return {
                name: self.data(value, f"{where}.{name}")
                for name, (_, value) in self.pairs(node, where).items()
            }
        if isinstance(node, yaml.SequenceNode):
            return [self.data(value, where) for value in node.value]
        return scalar_value(node)


# --- writing a landscape file back (ruamel.yaml round trip, only where it changed) -----------


def _roundtrip(mapping_indent=2, sequence_indent=4, offset=2):
    from ruamel.yaml import YAML

    rt = YAML()  # round trip: comments, key order and quoting of what it loads are kept
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap a value that was edited onto one line
    rt.indent(mapping=mapping_indent, sequence=sequence_indent, offset=offset)
    return rt


def _dump(rt, data):
    import io

    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue().splitlines(keepends=True)


def _blank_or_comment(line):
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _content_end(lines, start, node):
    """The line after the last line of node's own content (0-based): trailing blank and
    comment-only lines are left to whatever follows."""
    mark = node.end_mark
    end = mark.line + (1 if mark.column and lines[mark.line][: mark.column].strip() else 0)
    end = min(end, len(lines))
    while end > start + 1 and _blank_or_comment(lines[end - 1]):
        end -= 1
    return end


def _like(old, new):
    """new, in the scalar style old was written in (quoted, literal, folded) if it is text."""
    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(new, str) and isinstance(old, ScalarString):
        return type(old)(new)
    return new


def _assign(target, *, key, original, wanted):
    """Set target[key] (ruamel data) to `wanted`, descending into mappings so that sub-keys
    that did not change (original == wanted) keep their comments and formatting."""
    if isinstance(original, dict) and isinstance(wanted, dict) and hasattr(target[key], "items"):
        inner = target[key]
        for sub in [k for k in original if k not in wanted and k in inner]:
            del inner[sub]
        for sub, value in wanted.items():
            if sub in inner and original.get(sub) == value:
                continue
            if sub in inner:
                _assign(inner, key=sub, original=original.get(sub), wanted=value)
            else:
                inner[sub] = value
        return
    target[key] = _like(target.get(key), wanted)


def _patch_mapping(rt, lines, node, original, wanted, patches):
    """Patches (start, end, new lines) that turn block mapping `node` (read as `original`)
    into `wanted`: a changed key's lines are rewritten through ruamel.yaml, or, when both
    values are mappings, only its changed sub-keys; every other line is kept as it is."""
    start = node.start_mark.line
    end = _content_end(lines, start, node)
    if node.flow_style:
        patches.append(
            (start, end, _fragment(rt, lines, start, end, node.start_mark.column,
                                   partial(_apply_all, original=original, wanted=wanted)))
        )  # fmt: skip
        return
    pairs = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
    for index, (key, value) in enumerate(pairs):
        name = key.value
        if original.get(name) == wanted.get(name) and (name in original) == (name in wanted):
            continue
        k_start = key.start_mark.line
        k_end = pairs[index + 1][0].start_mark.line if index + 1 < len(pairs) else end
        while k_end > k_start + 1 and _blank_or_comment(lines[k_end - 1]):
            k_end -= 1
        if name not in wanted:
            if k_start != start:  # the first key shares the "- " line: keep it
                patches.append((k_start, k_end, []))
            continue
        if (
            isinstance(original.get(name), dict)
            and isinstance(wanted[name], dict)
            and isinstance(value, yaml.MappingNode)
            and value.value
            and value.start_mark.line > k_start
        ):
            _patch_mapping(rt, lines, value, original[name], wanted[name], patches)
            continue
        edit = partial(_assign, key=name, original=original.get(name), wanted=wanted[name])
        patches.append(
            (k_start, k_end, _fragment(rt, lines, k_start, k_end, key.start_mark.column, edit))
        )
    new_keys = {k: v for k, v in wanted.items() if k not in original}
    if new_keys:
        column = pairs[0][0].start_mark.column if pairs else node.start_mark.column
        patches.append((end, end, [" " * column + line for line in _dump(rt, new_keys)]))


def _fragment(rt, lines, start, end, column, edit):
    """Round-trip lines[start:end] (a block mapping at `column`, the first line possibly after
    a `- `) through ruamel.yaml, apply `edit(data)`, and return the new lines indented alike."""
    first = lines[start]
    prefix = first[:column]
    body = [" " * column + first[column:]] + lines[start + 1 : end]
    dedented = [line[column:] if not line[:column].strip() else line.lstrip() for line in body]
    data = rt.load("".join(dedented))
    edit(data)
    out = [(" " * column + line) if line.strip() else line for line in _dump(rt, data)]
    if out:
        out[0] = prefix + out[0][column:]
    return out


def _style(text, root):
    """(mapping, sequence, offset) indentation of the file, read from its first list."""
    lines = text.splitlines()
    for _, value in root.value:
        if isinstance(value, yaml.SequenceNode) and value.value:
            child = value.value[0]
            line = lines[child.start_mark.line]
            dash = len(line) - len(line.lstrip(" "))
            parent = 0
            return 2, max(2, child.start_mark.column - parent), dash - parent
    return 2, 4, 2


def _items(root):
    """{(category, subcategory, item) positions: item mapping node} and the items sequence node
    of each (category, subcategory), of a composed landscape file."""
    found, lists = {}, {}

    def value(mapping, key):
        for k, v in mapping.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
        return None

    top = value(root, "landscape") or value(root, "categories")
    for ci, category in enumerate(top.value if top is not None else []):
        subs = value(category, "subcategories")
        for si, sub in enumerate(subs.value if isinstance(subs, yaml.SequenceNode) else []):
            items = value(sub, "items")
            if not isinstance(items, yaml.SequenceNode):
                continue
            lists[(ci, si)] = items
            for ii, item in enumerate(items.value):
                found[(ci, si, ii)] = item
    return found, lists


# The order of an item's keys in landscape2's data file reference (docs/config/data.yml), for
# items written anew: the database's JSON (PostgreSQL's jsonb) does not keep a mapping's order.
ITEM_KEY_ORDER = (
    "name",
    "homepage_url",
    "logo",
    "repo_url",
    "additional_repos",
    "crunchbase",
    "twitter",
    "project",
    "joined",
    "description",
    "second_path",
    "enduser",
    "extra",
)


def in_file_order(item):
    """`item` (a dict) with its keys in ITEM_KEY_ORDER, any others after them by name."""
    rank = {key: at for at, key in enumerate(ITEM_KEY_ORDER)}
    return dict(sorted(item.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))


def patch_items(text, edits, added):
    """A landscape file's text with its items brought up to date, everything else kept.

    edits: {(category, subcategory, item) position: (original dict, wanted dict)}; an item of
    the file whose position is missing is deleted. added: {(category, subcategory): [dict]}
    appended to that subcategory. Only the keys that differ are rewritten (by ruamel.yaml's
    round trip); when nothing differs the text is returned unchanged.
    """
    changed = {pos: pair for pos, pair in edits.items() if pair[0] != pair[1]}
    root = compose(text)
    nodes, lists = _items(root)
    deleted = [pos for pos in nodes if pos not in edits]
    if not changed and not deleted and not any(added.values()):
        return text
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    rt = _roundtrip(*_style(text, root))
    patches = []  # (start, end, new lines), applied bottom-up
    for pos in deleted:
        node = nodes[pos]
        patches.append((node.start_mark.line, _content_end(lines, node.start_mark.line, node), []))
    for pos, (original, wanted) in changed.items():
        node = nodes.get(pos)
        if node is not None:
            _patch_mapping(rt, lines, node, original, wanted, patches)
    for (ci, si), items in added.items():
        seq = lists.get((ci, si))
        if seq is None or not seq.value or not items:
            continue
        sibling = seq.value[-1]
        first_line = lines[seq.value[0].start_mark.line]
        dash = len(first_line) - len(first_line.lstrip(" "))
        column = seq.value[0].start_mark.column
        marker = bool(seq.value[0].value) and seq.value[0].value[0][0].value == "item"
        end = _content_end(lines, sibling.start_mark.line, sibling)
        new_lines = []
        for item in items:
            item = in_file_order(item)
            data = {"item": None, **item} if marker and "item" not in item else item
            dumped = _dump(rt, data)
            new_lines.append(" " * dash + "- " + " " * (column - dash - 2) + dumped[0])
            new_lines += [" " * column + line for line in dumped[1:]]
        patches.append((end, end, new_lines))
    for start, end, new in sorted(patches, key=lambda p: (p[0], p[1]), reverse=True):
        lines[start:end] = new
    result = "".join(lines)
    return result if text.endswith("\n") else result.rstrip("\n")


def _apply_all(data, *, original, wanted):
    for key in [k for k in original if k not in wanted]:
        del data[key]
    for key, value in wanted.items():
        if original.get(key) != value or key not in data:
            if key in data:
                _assign(data, key=key, original=original.get(key), wanted=value)
            else:
                data[key] = value
