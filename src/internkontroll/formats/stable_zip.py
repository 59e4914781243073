"""DOCX and XLSX are zip files stamped with the time they were written (in every entry and in
docProps/core.xml). A report is a record of its results, not of the moment it was rendered, so
the stamps are set to the day the results speak of: a report remade a year later is identical.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

_STAMPS = re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)")


def stable_zip(content: bytes, day: date | None) -> bytes:
    """``content`` rewritten with every timestamp at midnight of ``day`` (1980-01-01 if none)."""
    when = day or date(1980, 1, 1)
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    iso = f"{when.isoformat()}T00:00:00Z".encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = _STAMPS.sub(lambda m: m.group(1) + iso + m.group(2), data)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, data)
    return out.getvalue()
