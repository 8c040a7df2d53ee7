"""YAML loading that remembers line numbers, so importers can say where bad input is.

Mappings load as LineDict (a dict with a `.line` attribute, 1-based). Timestamps stay strings:
the landscape's dates are kept verbatim for export, and the stack importer parses its own.
"""

import yaml

from mwi.lib import importing


class InputError(importing.InputError):
    """`mwi.lib.importing.InputError` with the arguments in the old order (message, line), kept
    until the landscape importer raises the shared one; catch `importing.InputError`."""

    def __init__(self, message, line=None):
        super().__init__(line, message)


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
    """Parse YAML text; syntax errors become InputError with their line."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise InputError(error.problem or str(error), mark.line + 1 if mark else None) from None
    except yaml.YAMLError as error:
        raise InputError(str(error)) from None


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
