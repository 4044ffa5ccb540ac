"""Reads a contacts YAML file keeping the line of every field, so problems can name their line.

Mappings load as LineDict (a dict with `.line` and `.lines[key]`), lists as LineList (a list with
`.line` and `.lines[i]`). A key written twice in one mapping is a problem, not a silent overwrite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml


@dataclass(frozen=True, order=True)
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class LineDict(dict):
    line: int = 0
    lines: dict[Any, int]


class LineList(list):
    line: int = 0
    lines: list[int]


class _DuplicateKey(Exception):
    def __init__(self, line: int, key: Any):
        super().__init__(f"'{key}' is written twice here; keep one")
        self.line = line


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise _DuplicateKey(key_node.start_mark.line + 1, key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load_yaml_with_lines(text: str) -> tuple[Any, list[Problem]]:
    """The parsed document, or None and the problem that stopped it."""
    try:
        return yaml.load(text, Loader=_Loader), []  # noqa: S506 - SafeLoader subclass
    except _DuplicateKey as error:
        return None, [Problem(error.line, str(error))]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        return None, [Problem(line, f"this is not valid YAML: {error.problem or error}")]
    except yaml.YAMLError as error:
        return None, [Problem(0, f"this is not valid YAML: {error}")]
