"""The results page as HTML, server-side; results.js builds the same markup from the same data."""

from __future__ import annotations

from functools import cache
from html import escape
from importlib.resources import files
from string import Template
from typing import Any

STATIC_FILES = {
    "results.css": "text/css",
    "results.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}
NO_SCRIPT_REFRESH_SECONDS = 5


@cache
def asset(name: str) -> bytes:
    """A file of this folder (the template and the static files), read once."""
    return files(__package__).joinpath(name).read_bytes()


def results_page(data: dict[str, Any]) -> str:
    """The whole page: live through results.js, or a meta refresh without JavaScript."""
    refresh = ""
    if not data["closed"]:
        refresh = (
            f'<noscript><meta http-equiv="refresh" content="{NO_SCRIPT_REFRESH_SECONDS}">'
            "</noscript>"
        )
    template = Template(asset("results.html").decode("utf-8"))
    return template.substitute(
        lang=_e(data["lang"]),
        title=_e(f"{data['title']}: {data['question']}"),
        refresh=refresh,
        closed="true" if data["closed"] else "false",
        expired=_e(data["expiredText"]),
        body=results_body(data),
    )


def message_page(lang: str, title: str, lines: list[str]) -> str:
    """A short page for a refused link (expired, unknown) in the page's own style."""
    body = "".join(f"<p>{_e(line)}</p>" for line in lines)
    return (
        f'<!doctype html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex"><title>{_e(title)}</title>'
        '<link rel="icon" href="../static/favicon.svg">'
        '<link rel="stylesheet" href="../static/results.css"></head>'
        f'<body><main class="message"><h1>{_e(title)}</h1>{body}</main></body></html>'
    )


def results_body(data: dict[str, Any]) -> str:
    state = "closed" if data["closed"] else "open"
    parts = [
        '<header class="head">',
        f'<p class="status status-{state}">{_e(data["status"])}</p>',
        f'<h1 class="question">{_e(data["question"])}</h1>',
        f'<p class="respondents" data-count="{int(data["respondents"])}">'
        f"{_e(data['respondentsText'])}</p>",
    ]
    if data["closes"]:
        parts.append(f'<p class="closes">{_e(data["closes"])}</p>')
    parts.append("</header>")
    if data["notice"]:
        parts.append(f'<p class="notice">{_e(data["notice"])}</p>')
    parts.extend(_block(block) for block in data["blocks"])
    if data["words"]:
        parts.append(_words(data["words"]))
    if data["answers"]:
        parts.append(_answers(data["answers"]))
    if data["trend"]:
        parts.append(_trend(data["trend"]))
    return "".join(parts)


def _block(block: dict[str, Any]) -> str:
    parts = ['<section class="block">']
    if block["title"]:
        parts.append(f"<h2>{_e(block['title'])}</h2>")
    if block["summary"]:
        parts.append(f'<p class="summary">{_e(block["summary"])}</p>')
    parts.append('<ol class="bars">')
    for row in block["rows"]:
        percent = max(0, min(100, int(row["percent"])))
        parts.append(
            '<li class="bar">'
            f'<span class="label">{_e(row["label"])}</span>'
            f'<span class="track"><span class="fill p-{percent}"></span></span>'
            f'<span class="figure"><span class="percent">{_e(row["percentText"])}</span>'
            f'<span class="count">{int(row["count"])}</span></span>'
            "</li>"
        )
    parts.append("</ol></section>")
    return "".join(parts)


def _words(words: dict[str, Any]) -> str:
    items = "".join(
        f'<li><span class="word">{_e(w["word"])}</span>'
        f'<span class="count">{int(w["count"])}</span></li>'
        for w in words["items"]
    )
    return f'<section class="words"><h2>{_e(words["title"])}</h2><ol>{items}</ol></section>'


def _answers(answers: dict[str, Any]) -> str:
    items = "".join(f"<li>{_e(a)}</li>" for a in answers["items"])
    more = f'<p class="more">{_e(answers["more"])}</p>' if answers["more"] else ""
    return (
        f'<section class="answers"><h2>{_e(answers["title"])}</h2><ul>{items}</ul>{more}</section>'
    )


def _trend(trend: dict[str, Any]) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in trend["columns"])
    rows = []
    for row in trend["rows"]:
        means = "".join(f"<td>{_e(m)}</td>" for m in row["means"])
        change = f'<td class="change">{_e(row["change"] or "")}</td>'
        rows.append(f'<tr><th scope="row">{_e(row["text"])}</th>{means}{change}</tr>')
    return (
        f'<section class="trend"><h2>{_e(trend["title"])}</h2><table>'
        f"<thead><tr><th>{_e(trend['heading'])}</th>{head}<th></th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _e(value: object) -> str:
    return escape(str(value), quote=True)
