"""/insights: the deployer's page of counts, behind S117_INSIGHTS_TOKEN.

Only mounted when the token is set (otherwise /insights is a plain 404). The token is typed into
a form and posted, never put in a URL that a proxy or browser history could keep; it is compared
in constant time, and tries are rate limited per address. A right token gets a signed,
HttpOnly, SameSite=Strict cookie for 8 hours. Scripts may send it as a Bearer token instead.

The charts are drawn here as SVG (no script, no third-party library or CDN), each beside a text
table with the same numbers, which is what a screen reader reads.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from html import escape
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from bot.insights import (CRISIS, DID_YOU_MEAN, MESSAGES, NOT_SURE, REASONS, Figures,
                          csv_lines, figures)
from web.ratelimit import make_limiter

router = APIRouter()
COOKIE = "s117_insights"
COOKIE_SECONDS = 8 * 3600
LOGIN_TRIES_PER_MINUTE = 5
PERIODS = (30, 90)


def _mac(secret: str, token: str, expires: int) -> str:
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    message = f"insights|{expires}|{token_hash}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _cookie_for(request: Request, now: float | None = None) -> str:
    settings = request.app.state.settings
    expires = int((now or time.time()) + COOKIE_SECONDS)
    return f"{expires}.{_mac(settings.secret_key, settings.insights_token, expires)}"


def _allowed(request: Request) -> bool:
    settings = request.app.state.settings
    bearer = request.headers.get("authorization", "")
    if bearer.lower().startswith("bearer "):
        return hmac.compare_digest(bearer[7:].strip().encode(), settings.insights_token.encode())
    expires, _, mac = request.cookies.get(COOKIE, "").partition(".")
    if not expires.isdigit() or int(expires) < time.time():
        return False
    return hmac.compare_digest(mac, _mac(settings.secret_key, settings.insights_token,
                                         int(expires)))


def login_limiter(redis_url: str = "", secret: str = ""):
    """Tries at the key, per address (shared through Redis when configured): set on
    app.state by create_app."""
    return make_limiter(LOGIN_TRIES_PER_MINUTE, "insights-login", redis_url, secret)


def _limiter(request: Request):
    return request.app.state.insights_login_limiter


def _days(request: Request) -> int:
    raw = request.query_params.get("days", "30")
    return int(raw) if raw.isdigit() and int(raw) in PERIODS else 30


# ------------------------------------------------------------------ pages
def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)}</title>
<link rel="stylesheet" href="/static/insights.css">
</head>
<body>
<main id="main">
{body}
</main>
</body>
</html>"""
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _login_form(message: str = "", status: int = 200) -> HTMLResponse:
    error = (f'<p class="error" id="token-error" role="alert">{escape(message)}</p>'
             if message else "")
    described = ' aria-describedby="token-error"' if message else ""
    invalid = ' aria-invalid="true"' if message else ""
    return _page("Insights: sign in", f"""
<h1>Section 117 assistant: insights</h1>
<p>Counts of what the assistant did, for the organisation that runs it. No conversations,
names or messages are kept here.</p>
<form method="post" action="/insights/login">
  <label for="token">Insights key</label>
  {error}
  <input id="token" name="token" type="password" autocomplete="current-password" required{described}{invalid}>
  <button type="submit">Show the insights</button>
</form>""", status)


@router.get("/insights", include_in_schema=False)
async def insights(request: Request) -> Response:
    if not _allowed(request):
        return _login_form()
    days = _days(request)
    today = dt.date.today()
    recorder = request.app.state.recorder
    await run_in_threadpool(recorder.flush)
    since = today - dt.timedelta(days=days - 1)
    rows = await run_in_threadpool(recorder.store.counts, since)
    comments = await run_in_threadpool(recorder.store.comments, since)
    return _page(f"Insights: the last {days} days", render(figures(rows, days, today),
                                                          comments))


@router.post("/insights/login", include_in_schema=False)
async def login(request: Request) -> Response:
    client = request.client.host if request.client else "unknown"
    if not await _limiter(request).check(client):
        return _login_form("Too many tries. Wait a minute, then try again.", 429)
    body = (await request.body())[:2048].decode("utf-8", "replace")
    token = (parse_qs(body).get("token") or [""])[0]
    expected = request.app.state.settings.insights_token
    if not hmac.compare_digest(token.encode(), expected.encode()):
        return _login_form("That key is not right. Check it and try again.", 403)
    response = RedirectResponse("/insights", status_code=303)
    response.set_cookie(COOKIE, _cookie_for(request), max_age=COOKIE_SECONDS, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https",
                        path="/insights")
    return response


@router.post("/insights/logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    response = RedirectResponse("/insights", status_code=303)
    response.delete_cookie(COOKIE, path="/insights")
    return response


@router.get("/insights/counts.csv", include_in_schema=False)
async def counts_csv(request: Request) -> Response:
    if not _allowed(request):
        return Response("Sign in at /insights first.", status_code=401,
                        media_type="text/plain")
    days = _days(request)
    await run_in_threadpool(request.app.state.recorder.flush)
    since = dt.date.today() - dt.timedelta(days=days - 1)
    rows = await run_in_threadpool(request.app.state.recorder.store.counts, since)
    return StreamingResponse(csv_lines(rows), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="s117-insights-{days}-days.csv"'})


# ------------------------------------------------------------------ charts and tables
BAR = "#1d70b8"
NO = "#d4351c"


def _bars(title: str, rows: list[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart as SVG; hidden from screen readers, who get the table."""
    if not rows:
        return ""
    top = max(v for _, v in rows) or 1
    height = 28 * len(rows) + 10
    parts = [f'<svg class="chart" viewBox="0 0 600 {height}" width="600" height="{height}" '
             f'aria-hidden="true" focusable="false"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(rows):
        y = 5 + i * 28
        width = max(2, 380 * value / top)
        parts.append(f'<text x="0" y="{y + 17}" font-size="14" fill="#0b0c0c">'
                     f'{escape(label[:26])}</text>')
        parts.append(f'<rect x="200" y="{y + 3}" width="{width:.1f}" height="20" fill="{BAR}"/>')
        parts.append(f'<text x="{205 + width:.1f}" y="{y + 18}" font-size="14" '
                     f'fill="#0b0c0c">{value:g}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _yes_no_bars(rows: list[tuple[str, int, int]]) -> str:
    if not rows:
        return ""
    top = max(y + n for _, y, n in rows) or 1
    height = 28 * len(rows) + 10
    parts = [f'<svg class="chart" viewBox="0 0 600 {height}" width="600" height="{height}" '
             'aria-hidden="true" focusable="false"><title>Did this help, by topic</title>']
    for i, (label, yes, no) in enumerate(rows):
        y = 5 + i * 28
        w_yes, w_no = 360 * yes / top, 360 * no / top
        parts.append(f'<text x="0" y="{y + 17}" font-size="14" fill="#0b0c0c">'
                     f'{escape(label[:26])}</text>')
        parts.append(f'<rect x="200" y="{y + 3}" width="{w_yes:.1f}" height="20" fill="{BAR}"/>')
        parts.append(f'<rect x="{200 + w_yes:.1f}" y="{y + 3}" width="{w_no:.1f}" height="20" '
                     f'fill="{NO}"/>')
        parts.append(f'<text x="{205 + w_yes + w_no:.1f}" y="{y + 18}" font-size="14" '
                     f'fill="#0b0c0c">{yes} yes, {no} no</text>')
    parts.append("</svg>")
    return "".join(parts)


def _table(caption: str, headers: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return f'<p class="empty">{escape(caption)}: nothing yet.</p>'
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(
        (f'<th scope="row">{escape(c)}</th>' if i == 0 else f"<td>{escape(c)}</td>")
        for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _section(heading: str, anchor: str, chart: str, table: str, note: str = "") -> str:
    note_html = f"<p>{escape(note)}</p>" if note else ""
    return (f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{escape(heading)}</h2>'
            f'{note_html}<div class="pair">{chart}{table}</div></section>')


def render(fig: Figures, comments: list) -> str:
    t = fig.totals
    other = 90 if fig.days == 30 else 30
    summary = [
        ("Conversations started", f"{t['conversations']:,}"),
        ("Messages from people", f"{t[MESSAGES]:,}"),
        ("'Not sure' replies", f"{t[NOT_SURE] + t[DID_YOU_MEAN]:,} "
                               f"({fig.not_sure_share:.1%} of messages)"),
        ("Crisis replies", f"{t[CRISIS]:,}"),
        ("Did this help: yes", f"{t['helpful_yes']:,}"),
        ("Did this help: no", f"{t['helpful_no']:,}"),
    ]
    topics = fig.topics.most_common(15)
    weeks = list(fig.weeks.items())
    unsure_weeks = [(f"{w:%d %b}", round(100 * (c[NOT_SURE] + c[DID_YOU_MEAN]) / c[MESSAGES], 1)
                     if c[MESSAGES] else 0.0) for w, c in weeks]
    crisis_weeks = [(f"{w:%d %b}", c[CRISIS]) for w, c in weeks]
    helpful = sorted(((k, y, n) for k, (y, n) in fig.helpful.items()),
                     key=lambda r: -(r[1] + r[2]))[:15]
    worst = fig.most_unhelpful()
    parts = [
        f"<h1>Section 117 assistant: the last {fig.days} days</h1>",
        f"<p>{fig.since:%d %B %Y} to {fig.until:%d %B %Y}. Counts only: no conversation, "
        "name or message is kept here.</p>",
        f'<p class="tools"><a href="/insights?days={other}">Show the last {other} days</a> '
        f'<a href="/insights/counts.csv?days={fig.days}" download>Download the counts (CSV)</a>'
        '</p><form method="post" action="/insights/logout"><button type="submit">Sign out'
        "</button></form>",
        '<section aria-labelledby="summary"><h2 id="summary">Summary</h2><dl class="summary">'
        + "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>" for k, v in summary)
        + "</dl></section>",
        _section("Topics people asked about", "topics",
                 _bars("Topics asked about", [(k, n) for k, n in topics]),
                 _table("Answers given, by topic", ["Topic", "Answers"],
                        [[k, f"{n:,}"] for k, n in topics])),
        _section("'Not sure' replies, by week", "unsure", _bars("Share of 'not sure' replies",
                                                               unsure_weeks, "%"),
                 _table("Share of messages answered 'I am not sure' or 'Did you mean'",
                        ["Week starting", "Share"], [[w, f"{v:g}%"] for w, v in unsure_weeks])),
        _section("Did this help?, by topic", "helpful", _yes_no_bars(helpful),
                 _table("Yes and No, by topic", ["Topic", "Yes", "No"],
                        [[k, str(y), str(n)] for k, y, n in helpful]),
                 "Blue: yes. Red: no."),
        _section("Topics with the most 'No'", "worst", "",
                 _table("Topics with the most 'No', and what was wrong",
                        ["Topic", "No", "Yes", "What was wrong"],
                        [[k, str(n), str(y), "; ".join(
                            f"{REASONS.get(r, r)} ({c})" for r, c in
                            fig.reasons_by_topic.get(k, {}).items()) or "not said"]
                         for k, y, n in worst])),
        _section("Crisis replies, by week", "crisis", _bars("Crisis replies by week",
                                                           crisis_weeks),
                 _table("Crisis replies, by week", ["Week starting", "Crisis replies"],
                        [[w, str(n)] for w, n in crisis_weeks])),
        _section("Eligibility verdicts and contact cards", "other", "",
                 _table("Eligibility check verdicts", ["Verdict", "Count"],
                        [[k.replace("_", " "), str(n)] for k, n in fig.verdicts.most_common()])
                 + _table("Contact cards shown, by area", ["Area", "Count"],
                          [[k, str(n)] for k, n in fig.areas.most_common()])),
        '<section aria-labelledby="comments"><h2 id="comments">Comments</h2>'
        "<p>What people wrote after No, newest first. Numbers and email addresses were removed "
        "before they were kept; they are deleted after the retention period.</p>"
        + ("<ul class=\"comments\">" + "".join(
            f"<li><p class=\"about\">{escape(c.day)}, {escape(c.response)}"
            f"{' (' + escape(', '.join(REASONS.get(r, r) for r in c.reasons)) + ')' if c.reasons else ''}"
            f"</p><p>{escape(c.comment)}</p></li>" for c in comments) + "</ul>"
           if comments else "<p>No comments yet.</p>") + "</section>",
    ]
    return "\n".join(parts)
