"""What the deployer may see: daily counts, never conversations.

The web backend counts what it sends and receives: conversations started, messages, answers by
response name, "I am not sure" and "Did you mean" replies, crisis replies, eligibility verdicts,
contact cards by area, and "Did this help?" answers with what was wrong. Each count is a number
for one day, one metric and one key (a response name, a verdict, an area): no message text, no
conversation id, no address, and nothing that joins one count to another person's.

Comments people add to a "No" are the only words kept. They are cut to 300 characters, have
numbers and email addresses removed before they are stored, sit in their own table and are
deleted after the retention period, like conversations.

SQLite by default (var/insights.db); any SQLAlchemy URL, such as PostgreSQL in the scaled mode.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import sqlalchemy as sa

COMMENT_MAX_CHARS = 300
REASONS = {
    "not_answered": "It did not answer my question",
    "hard_to_understand": "It was hard to understand",
    "wrong_or_out_of_date": "Something is wrong or out of date",
    "other": "Other",
}
# Metrics and what their key is.
CONVERSATIONS = "conversations"      # key ""
MESSAGES = "messages"                # key ""
ANSWER = "answer"                    # key: response name
NOT_SURE = "not_sure"                # key: response name (utter_fallback)
DID_YOU_MEAN = "did_you_mean"        # key: response name (utter_clarify)
CRISIS = "crisis"                    # key: "" (every crisis answer, from Rasa or the backend)
UNAVAILABLE = "unavailable"          # key: "" ("Sorry, I cannot answer right now")
VERDICT = "verdict"                  # key: eligible, not_eligible, not_yet, depends, unknown
CONTACTS = "contacts_area"           # key: area id, or the country, or "unknown"
HELPFUL = "helpful_yes"              # key: response name
NOT_HELPFUL = "helpful_no"           # key: response name
REASON = "helpful_no_reason"         # key: "<reason>|<response name>"

NOT_SURE_RESPONSES = {"utter_fallback"}
DID_YOU_MEAN_RESPONSES = {"utter_clarify"}
VERDICT_PREFIX = "utter_elig_verdict_"

_metadata = sa.MetaData()
COUNTS = sa.Table(
    "insight_counts", _metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("metric", sa.String(40), primary_key=True),
    sa.Column("key", sa.String(120), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
)
COMMENTS = sa.Table(
    "feedback_comments", _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("created", sa.Float, nullable=False, index=True),
    sa.Column("response", sa.String(120), nullable=False),
    sa.Column("reasons", sa.String(200), nullable=False),
    sa.Column("comment", sa.String(COMMENT_MAX_CHARS + 50), nullable=False),
)

_EMAIL = re.compile(r"[^\s@<>,;()]+@[^\s@<>,;()]+\.[A-Za-z]{2,}")
_NUMBER = re.compile(r"\+?\d[\d\s().-]*\d|\d")


def scrub(comment: str) -> str:
    """The comment as it may be kept: emails and numbers removed, spaces tidied, 300 at most."""
    text = _EMAIL.sub("[email removed]", comment)
    text = _NUMBER.sub("[number removed]", text)
    return " ".join(text.split())[:COMMENT_MAX_CHARS]


def engine_url(where: str) -> str:
    """A SQLAlchemy URL, or a file path for SQLite (its folder is made private)."""
    if "://" in where:
        return where
    path = Path(where)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return f"sqlite:///{path}"


@dataclass
class Comment:
    day: str
    response: str
    reasons: list[str]
    comment: str


class InsightsStore:
    def __init__(self, where: str) -> None:
        self.url = engine_url(where)
        self.engine = sa.create_engine(self.url)
        _metadata.create_all(self.engine)
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).chmod(0o600)

    def close(self) -> None:
        self.engine.dispose()

    def add(self, counts: Counter, day: dt.date) -> None:
        """Add these (metric, key) counts to the day's totals, in one transaction."""
        if not counts:
            return
        insert = _upsert_insert(self.engine.dialect.name)
        with self.engine.begin() as connection:
            for (metric, key), n in counts.items():
                statement = insert(COUNTS).values(day=day, metric=metric, key=key, n=n)
                # One statement, so two web processes adding at once both count.
                connection.execute(statement.on_conflict_do_update(
                    index_elements=[COUNTS.c.day, COUNTS.c.metric, COUNTS.c.key],
                    set_={"n": COUNTS.c.n + statement.excluded.n}))

    def add_comment(self, response: str, reasons: Iterable[str], comment: str,
                    when: dt.datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(COMMENTS.insert().values(
                day=when.date(), created=when.timestamp(), response=response,
                reasons=",".join(reasons), comment=scrub(comment)))

    def delete_comments_before(self, cutoff: float) -> int:
        with self.engine.begin() as connection:
            return connection.execute(
                COMMENTS.delete().where(COMMENTS.c.created < cutoff)).rowcount or 0

    def counts(self, since: dt.date) -> list[tuple[dt.date, str, str, int]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(COUNTS.c.day, COUNTS.c.metric, COUNTS.c.key, COUNTS.c.n)
                .where(COUNTS.c.day >= since)
                .order_by(COUNTS.c.day, COUNTS.c.metric, COUNTS.c.key))
            return [(r.day, r.metric, r.key, r.n) for r in rows]

    def comments(self, since: dt.date, limit: int = 200) -> list[Comment]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(COMMENTS).where(COMMENTS.c.day >= since)
                .order_by(COMMENTS.c.created.desc()).limit(limit))
            return [Comment(r.day.isoformat(), r.response,
                            [x for x in r.reasons.split(",") if x], r.comment) for r in rows]


def _upsert_insert(dialect: str):
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        raise ValueError(f"the insights store needs SQLite or PostgreSQL, not {dialect}")
    return insert


# ------------------------------------------------------------------ what a reply counts as
def reply_counts(messages: Iterable[dict], *, started: bool, from_person: bool) -> Counter:
    """The counts one turn adds: the widget messages the backend is about to send."""
    counts: Counter = Counter()
    if started:
        counts[(CONVERSATIONS, "")] += 1
    if from_person:
        counts[(MESSAGES, "")] += 1
    for message in messages:
        custom = message.get("custom") if isinstance(message, dict) else None
        if not isinstance(custom, dict):
            continue
        kind, response = custom.get("kind"), custom.get("response")
        if kind == "crisis":
            counts[(CRISIS, "")] += 1
        if kind == "error":
            counts[(UNAVAILABLE, "")] += 1
        if not isinstance(response, str) or not response:
            continue
        counts[(ANSWER, response)] += 1
        if response in NOT_SURE_RESPONSES:
            counts[(NOT_SURE, response)] += 1
        if response in DID_YOU_MEAN_RESPONSES:
            counts[(DID_YOU_MEAN, response)] += 1
        if response.startswith(VERDICT_PREFIX):
            counts[(VERDICT, response.removeprefix(VERDICT_PREFIX))] += 1
        if kind == "contacts":
            area = custom.get("area")
            key = (area.get("id") if isinstance(area, dict) else None) or custom.get("country")
            counts[(CONTACTS, str(key or "unknown"))] += 1
    return counts


def feedback_counts(response: str, helpful: bool, reasons: Iterable[str]) -> Counter:
    counts: Counter = Counter()
    counts[(HELPFUL if helpful else NOT_HELPFUL, response)] += 1
    for reason in reasons:
        counts[(REASON, f"{reason}|{response}")] += 1
    return counts


# ------------------------------------------------------------------ the figures
def topic_of(response: str) -> str:
    """utter_detail_charging and utter_charging are both the charging topic."""
    return response.removeprefix("utter_").removeprefix("detail_")


@dataclass
class Figures:
    days: int
    since: dt.date
    until: dt.date
    totals: Counter = field(default_factory=Counter)            # metric -> n
    topics: Counter = field(default_factory=Counter)            # topic -> answers
    helpful: dict[str, list[int]] = field(default_factory=dict)  # topic -> [yes, no]
    reasons: Counter = field(default_factory=Counter)           # reason -> n
    reasons_by_topic: dict[str, Counter] = field(default_factory=dict)
    verdicts: Counter = field(default_factory=Counter)
    areas: Counter = field(default_factory=Counter)
    weeks: dict[dt.date, Counter] = field(default_factory=dict)  # Monday -> metric -> n

    @property
    def not_sure_share(self) -> float:
        """The share of the person's messages answered "I am not sure" or "Did you mean"."""
        unsure = self.totals[NOT_SURE] + self.totals[DID_YOU_MEAN]
        return unsure / self.totals[MESSAGES] if self.totals[MESSAGES] else 0.0

    def most_unhelpful(self, limit: int = 10) -> list[tuple[str, int, int]]:
        rows = [(t, yes, no) for t, (yes, no) in self.helpful.items() if no]
        return sorted(rows, key=lambda r: (-r[2], r[1], r[0]))[:limit]


# Not topics a person asked about: the conversation's own prompts.
NOT_TOPICS = {"welcome", "help", "fallback", "clarify", "clarify_other", "also_asked",
              "not_what_you_asked", "situation_noted", "goodbye", "thanks", "start_again",
              "no_detail", "topics", "role_ack", "crisis", "out_of_scope", "bot_challenge",
              "define_unknown", "ask_area"}


def figures(rows: Iterable[tuple[dt.date, str, str, int]], days: int, today: dt.date) -> Figures:
    since = today - dt.timedelta(days=days - 1)
    result = Figures(days=days, since=since, until=today)
    helpful: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    reasons_by_topic: dict[str, Counter] = defaultdict(Counter)
    for day, metric, key, n in rows:
        if day < since or day > today:
            continue
        result.totals[metric] += n
        week = day - dt.timedelta(days=day.weekday())
        result.weeks.setdefault(week, Counter())[metric] += n
        if metric == ANSWER:
            topic = topic_of(key)
            if topic not in NOT_TOPICS and not key.startswith(("utter_ask_", "utter_elig_")):
                result.topics[topic] += n
        elif metric in (HELPFUL, NOT_HELPFUL):
            helpful[topic_of(key)][0 if metric == HELPFUL else 1] += n
        elif metric == REASON:
            reason, _, response = key.partition("|")
            result.reasons[reason] += n
            reasons_by_topic[topic_of(response)][reason] += n
        elif metric == VERDICT:
            result.verdicts[key] += n
        elif metric == CONTACTS:
            result.areas[key] += n
    result.helpful = dict(helpful)
    result.reasons_by_topic = dict(reasons_by_topic)
    result.weeks = dict(sorted(result.weeks.items()))
    return result


def csv_lines(rows: Iterable[tuple[dt.date, str, str, int]]) -> Iterable[str]:
    yield "day,metric,key,count\r\n"
    for day, metric, key, n in rows:
        safe_key = '"' + key.replace('"', '""') + '"' if any(c in key for c in ',"\n') else key
        yield f"{day.isoformat()},{metric},{safe_key},{n}\r\n"


def report(fig: Figures, comments: list[Comment]) -> str:
    """The figures as plain text, for `python -m bot insights`."""
    t = fig.totals
    lines = [f"Section 117 assistant: the last {fig.days} days "
             f"({fig.since:%d %B %Y} to {fig.until:%d %B %Y})", "",
             f"Conversations started   {t[CONVERSATIONS]:>7,}",
             f"Messages from people    {t[MESSAGES]:>7,}",
             f"'Not sure' replies      {t[NOT_SURE] + t[DID_YOU_MEAN]:>7,}  "
             f"({fig.not_sure_share:.1%} of messages; 'I am not sure' {t[NOT_SURE]:,}, "
             f"'Did you mean' {t[DID_YOU_MEAN]:,})",
             f"Crisis replies          {t[CRISIS]:>7,}",
             f"'Cannot answer now'     {t[UNAVAILABLE]:>7,}",
             f"Did this help: yes      {t[HELPFUL]:>7,}",
             f"Did this help: no       {t[NOT_HELPFUL]:>7,}", "",
             "Topics asked about (answers given)"]
    lines += [f"  {topic:<28} {n:>6,}" for topic, n in fig.topics.most_common(20)] or ["  none"]
    lines += ["", "Crisis replies by week (week starting)"]
    lines += [f"  {week:%d %b %Y}  {c[CRISIS]:>5,}" for week, c in fig.weeks.items()] or ["  none"]
    lines += ["", "Topics with the most 'No' (yes / no)"]
    lines += [f"  {topic:<28} {yes:>4} / {no:<4}" for topic, yes, no in fig.most_unhelpful()] \
        or ["  none"]
    lines += ["", "What was wrong"]
    lines += [f"  {REASONS.get(r, r):<36} {n:>5,}" for r, n in fig.reasons.most_common()] \
        or ["  none"]
    lines += ["", "Eligibility verdicts"]
    lines += [f"  {v:<28} {n:>6,}" for v, n in fig.verdicts.most_common()] or ["  none"]
    lines += ["", "Contact cards shown, by area"]
    lines += [f"  {a:<28} {n:>6,}" for a, n in fig.areas.most_common()] or ["  none"]
    lines += ["", f"Comments ({len(comments)}, newest first; numbers and emails removed)"]
    lines += [f"  {c.day}  {topic_of(c.response)}: {c.comment}" for c in comments] or ["  none"]
    return "\n".join(lines)
