"""Reading the ECOSOC consultative-status list (OP 6(a)) and the NHRI accreditation list
(OP 9) from CSV, all or nothing: every malformed row is reported by its line number and
nothing is imported until the file is fixed. Matching names against them."""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from stakeholders.models_registry import AccreditedSource

COLUMNS = ("name", "country_iso3", "status")
# ECOSOC consultative status categories; GANHRI accreditation grades.
STATUSES = {
    AccreditedSource.ECOSOC: ("general", "special", "roster"),
    AccreditedSource.NHRI: ("A", "B", "C"),
}
# Only NHRIs fully compliant with the Paris Principles register directly (OP 9).
REGISTERS = {
    AccreditedSource.ECOSOC: STATUSES[AccreditedSource.ECOSOC],
    AccreditedSource.NHRI: ("A",),
}
NEAR_MATCH = 0.85
MAX_BYTES = 5 * 1024 * 1024


def normalize(name: str) -> str:
    """Case, accents, punctuation and spacing do not make two names different."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    normalized_name: str
    country_iso3: str
    status: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def _status(source: str, raw: str) -> str | None:
    for allowed in STATUSES[source]:
        if raw.strip().casefold() == allowed.casefold():
            return allowed
    return None


def parse(source: str, data: bytes, countries: dict[str, int]) -> Parsed:
    """Check every row of the file; ``countries`` maps ISO3 codes to Member State ids."""
    parsed = Parsed()
    if len(data) > MAX_BYTES:
        parsed.errors.append((0, _("The file is larger than 5 MB.")))
        return parsed
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.errors.append((0, _("The file is not UTF-8 text.")))
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        parsed.errors.append((1, _("The file is empty.")))
        return parsed
    if tuple(h.strip().casefold() for h in header) != COLUMNS:
        parsed.errors.append(
            (
                1,
                _("The first line must name the columns: %(columns)s.")
                % {"columns": ", ".join(COLUMNS)},
            )
        )
        return parsed
    seen: dict[tuple[str, str], int] = {}
    allowed = ", ".join(STATUSES[source])
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(COLUMNS):
            parsed.errors.append(
                (
                    line,
                    _("Expected 3 values (name, country_iso3, status), found %(n)d.")
                    % {"n": len(cells)},
                )
            )
            continue
        name, iso3, raw_status = (c.strip() for c in cells)
        problems = []
        if not name:
            problems.append(_("the name is empty"))
        iso3 = iso3.upper()
        if iso3 not in countries:
            problems.append(
                _("“%(code)s” is not a known ISO 3166 alpha-3 country code") % {"code": iso3}
            )
        status = _status(source, raw_status)
        if status is None:
            problems.append(
                _("the status “%(status)s” is not one of: %(allowed)s")
                % {"status": raw_status, "allowed": allowed}
            )
        key = (normalize(name), iso3)
        if not problems and key in seen:
            problems.append(_("the same name and country as line %(line)d") % {"line": seen[key]})
        if problems:
            parsed.errors.append((line, "; ".join(problems).capitalize() + "."))
            continue
        seen[key] = line
        parsed.rows.append(Row(line, name, key[0], iso3, status))
    if not parsed.rows and not parsed.errors:
        parsed.errors.append((1, _("The file has no rows after the header.")))
    return parsed


@dataclass
class Changes:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    unchanged: int = 0

    def as_data(self) -> dict:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "unchanged": self.unchanged,
        }
