"""Line numbers for TOML keys: tomllib gives values, not positions, and users need ``plan.toml:12``.

A light scan of the text finds table headers (``[x.y]``, ``[[x]]``) and ``key =`` lines; a
location such as ``("control", 2, "params", "group_by")`` is narrowed step by step to the line
that holds it, falling back to the nearest enclosing line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER = re.compile(r"^\s*(\[\[|\[)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def _normalise(name: str) -> str:
    return ".".join(part.strip().strip('"').strip("'") for part in name.split("."))


@dataclass(frozen=True)
class _Header:
    line: int  # 1-based
    name: str
    is_array: bool


class TomlSource:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[_Header] = []
        for number, line in enumerate(self.lines, start=1):
            match = _HEADER.match(line)
            if match:
                self.headers.append(_Header(number, _normalise(match[2]), match[1] == "[["))

    def _region_end(self, start: int, name: str) -> int:
        """Last line of the table starting at ``start``: up to the next non-child header."""
        for header in self.headers:
            if header.line <= start:
                continue
            if header.name == name or not header.name.startswith(name + "."):
                return header.line - 1
        return len(self.lines)

    def _key_line(self, key: str, start: int, end: int) -> int | None:
        """First ``key =`` or ``key.sub =`` line in [start, end] that is not inside a sub-table."""
        quoted = re.escape(key)
        pattern = re.compile(rf"^\s*(\"{quoted}\"|'{quoted}'|{quoted})\s*[=.]")
        for number in range(start, end + 1):
            if pattern.match(self.lines[number - 1]):
                return number
        return None

    def line_for(self, location: tuple[str | int, ...]) -> int | None:
        """The line of ``location`` or of its nearest enclosing key or table."""
        if not location:
            return None
        best: int | None = None
        prefix = ""
        start, end = 1, self._first_header_line() - 1
        index = 0
        in_array = False
        while index < len(location):
            part = location[index]
            if isinstance(part, int):
                index += 1
                continue
            name = f"{prefix}.{part}" if prefix else part
            nxt = location[index + 1] if index + 1 < len(location) else None
            arrays = [h for h in self.headers if h.is_array and h.name == name]
            tables = [h for h in self.headers if not h.is_array and h.name == name]
            if arrays and nxt is None:
                return arrays[0].line  # the array as a whole: where it starts
            if arrays and isinstance(nxt, int) and nxt < len(arrays):
                header = arrays[nxt]
                start, best, prefix = header.line, header.line, name
                end = self._region_end(header.line, name)
                in_array = True
                index += 2
                continue
            candidates = [h for h in tables if h.line >= start and (not in_array or h.line <= end)]
            if candidates:
                header = candidates[0]
                start, best, prefix = header.line, header.line, name
                end = self._region_end(header.line, name)
                index += 1
                continue
            if not in_array and any(h.name.startswith(name + ".") for h in self.headers):
                prefix = name  # a dotted parent such as "datasets" with no header of its own
                index += 1
                continue
            found = self._key_line(str(part), start, end)
            if found is None:
                return best
            best = found
            start = found
            prefix = name
            index += 1
        return best

    def _first_header_line(self) -> int:
        return self.headers[0].line if self.headers else len(self.lines) + 1
