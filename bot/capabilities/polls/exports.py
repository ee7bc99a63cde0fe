"""A poll's answers as CSV and XLSX: one row per voter, no identity for anonymous polls.

Who may export is checked when the link is made: the Teams code (votes.py `export_link`)
sends an export link only to the poll's creator or an administrator, privately. The export
route then checks only that the link is genuine, unexpired and made for export.

CSV is what Danish Excel opens with a double click: UTF-8 with a byte-order mark (without it
Excel reads æøå as cp1252), `;` between fields (Danish Excel's list separator, because the
comma is the decimal sign) and CRLF line ends. Cells that a spreadsheet would run as a formula
(starting with = + - @, tab or CR) get a leading apostrophe, in both formats.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from bot.domain.clock import COPENHAGEN
from bot.domain.polls.model import LIKERT_LABELS, Poll, PollKind
from bot.domain.polls.ports import StoredVote

Cell = str | int
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold; openpyxl refuses them (text is cleaned on input, but an
# export must never fail on an old row).
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEADINGS = {
    "da": {"name": "Navn", "id": "Teams-id", "answer": "Svar", "voted_at": "Svaret"},
    "en": {"name": "Name", "id": "Teams id", "answer": "Answer", "voted_at": "Answered at"},
}
_ABOUT = {
    "da": ("Spørgsmål", "Afstemning", "Oprettet", "Lukket", "Svar", "Eksporteret"),
    "en": ("Question", "Poll", "Created", "Closed", "Answers", "Exported"),
}
_CHOICES_JOINED_BY = "; "


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def answers_table(poll: Poll, votes: Sequence[StoredVote], zone: ZoneInfo = COPENHAGEN) -> Table:
    """The header and one row per voter; named polls start with name and Teams id."""
    spec, words = poll.spec, _HEADINGS[poll.spec.lang]
    named = not spec.settings.anonymous
    header: list[str] = [words["name"], words["id"]] if named else []
    if spec.kind is PollKind.LIKERT:
        header += [s.text for s in spec.statements]
    else:
        header.append(words["answer"])
    header.append(words["voted_at"])
    rows = []
    for vote in votes:
        row: list[Cell] = [vote.voter_name or "", vote.voter_id or ""] if named else []
        row += _answer_cells(poll, vote)
        row.append(_local(vote.voted_at, zone))
        rows.append(tuple(row))
    return Table(tuple(header), tuple(rows))


def _answer_cells(poll: Poll, vote: StoredVote) -> list[Cell]:
    spec, answer = poll.spec, vote.answer
    if spec.kind.has_options:
        labels = {o.id: o.label for o in spec.options}
        return [_CHOICES_JOINED_BY.join(labels.get(c, c) for c in answer.choices)]
    if spec.kind is PollKind.SCALE:
        return [answer.value if answer.value is not None else ""]
    if spec.kind is PollKind.LIKERT:
        names, ratings = LIKERT_LABELS[spec.lang], dict(answer.ratings)
        levels = (ratings.get(s.id) for s in spec.statements)
        return [f"{names[level]} ({level})" if level in names else "" for level in levels]
    return [answer.text]


def _local(moment: datetime, zone: ZoneInfo) -> str:
    """ISO-like local time without offset: what a spreadsheet shows and sorts well."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")


def safe(cell: Cell) -> Cell:
    """A text cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe(h) for h in table.header])
    writer.writerows([safe(c) for c in row] for row in table.rows)
    # Lone surrogates cannot be UTF-8; a replacement mark beats a failed export.
    return ("\ufeff" + out.getvalue()).encode("utf-8", errors="replace")


def xlsx_bytes(poll: Poll, table: Table, *, exported_at: datetime, zone: ZoneInfo) -> bytes:
    """A workbook in write-only mode (streams rows, little memory): the answers, then about."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Svar" if poll.spec.lang == "da" else "Answers")
    sheet.freeze_panes = "A2"
    for index, heading in enumerate(table.header):
        sheet.column_dimensions[_column(index)].width = min(60, max(12, len(heading) + 2))
    bold = Font(bold=True)
    header = []
    for heading in table.header:
        cell = WriteOnlyCell(sheet, value=_xlsx_text(heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([_xlsx_text(c) for c in row])
    about = book.create_sheet("Om" if poll.spec.lang == "da" else "About")
    labels = _ABOUT[poll.spec.lang]
    closed = _local(poll.closed_at, zone) if poll.closed_at else ""
    values: tuple[Cell, ...] = (
        poll.spec.question,
        poll.spec.kind.value,
        _local(poll.created_at, zone),
        closed,
        len(table.rows),
        _local(exported_at, zone),
    )
    for label, value in zip(labels, values, strict=True):
        about.append([label, _xlsx_text(value)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_text(cell: Cell) -> Cell:
    # openpyxl stores any text starting with "=" as a formula: `safe` is needed here too.
    return safe(_NOT_IN_XML.sub("", cell)) if isinstance(cell, str) else cell


def _column(index: int) -> str:
    """Spreadsheet column letters: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def file_name(poll: Poll, extension: str, zone: ZoneInfo = COPENHAGEN) -> str:
    """`afstemning-2021-03-25.csv`: ASCII only, so every browser saves it as named."""
    stem = "afstemning" if poll.spec.lang == "da" else "poll"
    if poll.spec.template_id:
        stem = "evaluering" if poll.spec.lang == "da" else "evaluation"
    return f"{stem}-{poll.created_at.astimezone(zone):%Y-%m-%d}.{extension}"
