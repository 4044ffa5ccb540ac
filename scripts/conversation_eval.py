"""Conversation evaluation: long messages, multi-turn conversations and held-out short questions,
run through the whole assistant (the trained model, the real action server, the web backend's
crisis net), scored by what it answered.

    python -m scripts.conversation_eval --model models/current.tar.gz --out results/conversations

What is scored (the sets and their labels: tests/conversations/README.md):
- long messages: the first answer is about the main question; every question of a message with
  several is answered or offered as a button; the situation facts known afterwards (role,
  sections, place, area or country) against the expected ones (F1);
- conversations: every turn's first answer, its facts and its verdict;
- held-out short questions (tests/nlu_holdout, topic intents): answered directly on the right
  topic, asked ("Did you mean" / "I am not sure"), or answered on a wrong topic;
- crisis: every crisis text in every set gets the crisis numbers first.

Files named blind_* are scored and printed apart, first. Exits 1 when a --min-* bar is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SETS = ROOT / "tests" / "conversations"
HOLDOUT = ROOT / "tests" / "nlu_holdout"

# Response name -> the label of what it answers (README "Labels"). Checked in order.
_PREFIX_LABELS = (
    ("utter_elig_verdict_", "eligibility_verdict"), ("utter_ask_elig_", "check_eligibility"),
    ("utter_elig_detail_", "more_detail"), ("utter_detail_", "more_detail"),
    ("utter_define_", "define_term"), ("utter_complaints", "complaints"),
)
_NAMED_LABELS = {
    "utter_situation_noted": "situation_noted", "utter_crisis": "crisis",
    "utter_role_ack": "role_ack", "utter_welcome": "greet", "utter_help": "help",
    "utter_thanks": "thanks", "utter_goodbye": "goodbye", "utter_bot_challenge": "bot_challenge",
    "utter_out_of_scope": "out_of_scope", "utter_clarify": "clarify", "utter_fallback": "not_sure",
    "utter_no_detail": "more_detail", "utter_eligibility": "eligibility",
    "utter_ask_area": "complaints",
}
# Parts of an answer that are not its topic: reasons and next steps of a verdict, offers.
_NOT_AN_ANSWER = ("utter_elig_reason_", "utter_elig_next_", "utter_also_asked",
                  "utter_not_what_you_asked", "utter_clarify_other", "utter_start_again",
                  "utter_elig_start_again", "utter_elig_changed", "utter_elig_change")
OFFERING = {"utter_also_asked", "utter_not_what_you_asked", "utter_clarify",
            "utter_situation_noted"}
ASKED = {"clarify", "not_sure"}
# Intent (a button's payload, a held-out label) -> the label of its answer.
_INTENT_LABELS = {"complain": "complaints", "ask_eligibility": "eligibility",
                  "check_eligibility": "check_eligibility", "crisis": "crisis",
                  "ask_legal_challenge": "legal_challenge", "ask_what_is_117": "what_is_117"}
# Held-out intents that are topics (a question with one right answer in a new conversation).
CONVERSATIONAL = {"greet", "help", "thanks", "goodbye", "bot_challenge", "out_of_scope",
                  "tell_role", "start_again", "stop", "change_answer", "more_detail", "inform",
                  "inform_area", "define_term", "ask_eligibility_detail", "check_eligibility",
                  "crisis", "nlu_fallback"}
# The eligibility answers that fit a question: the rule, or a verdict for the sections named.
SAME_ANSWER = {"eligibility": {"eligibility", "eligibility_verdict", "check_eligibility"},
               "eligibility_verdict": {"eligibility_verdict"},
               "check_eligibility": {"check_eligibility", "eligibility_verdict"}}
# The floors `make test` holds: a few points under what this model measured on all the sets
# (2026-12-08: main question first 0.872, every question 0.832 counting every button on the
# screen, facts F1 0.927, conversations 0.695, short right 0.955, asked 0.012, wrong 0.032), so
# that a change that makes it worse fails. They are NOT the targets, which TARGETS
# below prints beside the figures, met or not; every crisis text must be caught whatever else.
BARS = ["--min-main-first", "0.84", "--min-all-questions", "0.78", "--min-fact-f1", "0.90",
        "--min-conversations", "0.64", "--min-short-right", "0.94", "--max-short-asked", "0.03",
        "--max-short-wrong", "0.04"]


def label_of(response: str) -> str | None:
    if not response or response.startswith(_NOT_AN_ANSWER):
        return None
    if response in _NAMED_LABELS:
        return _NAMED_LABELS[response]
    for prefix, label in _PREFIX_LABELS:
        if response.startswith(prefix):
            return label
    return response.removeprefix("utter_") if response.startswith("utter_") else None


def label_of_intent(intent: str) -> str:
    return _INTENT_LABELS.get(intent, intent.removeprefix("ask_"))


def fits(label: str | None, acceptable: list[str]) -> bool:
    if label is None:
        return False
    return any(label in SAME_ANSWER.get(a, {a}) for a in acceptable)


@dataclass
class Turn:
    """What the assistant did with one message."""
    labels: list[str]                  # what each answer was about, in order
    offered: list[str]                 # topics offered as buttons
    verdict: str | None
    slots: dict[str, Any]

    @property
    def first(self) -> str | None:
        return self.labels[0] if self.labels else None


def turn_from_events(events: list[dict[str, Any]]) -> Turn:
    labels: list[str] = []
    offered: list[str] = []
    verdict = None
    for event in events:
        if event.get("event") != "bot":
            continue
        name = (event.get("metadata") or {}).get("utter_action", "")
        label = label_of(name)
        if label and label not in labels:
            labels.append(label)
        if name.startswith("utter_elig_verdict_") and verdict is None:
            verdict = name.removeprefix("utter_elig_verdict_")
        # Every button on the screen offers its topic: "Not what you asked?", "You also asked"
        # and an answer's own ("I was charged. Can I get it back?"), which the assistant does not
        # repeat under "Not what you asked?".
        if name in OFFERING or label is not None:
            for button in (event.get("data") or {}).get("buttons") or []:
                payload = str(button.get("payload", ""))
                if payload.startswith("/"):
                    offered.append(label_of_intent(payload[1:].split("{")[0]))
    return Turn(labels, offered, verdict, {})


def facts_of(slots: dict[str, Any]) -> set[tuple[str, str]]:
    """The scored facts as (kind, value) items: role, each section, place, area (or country)."""
    items: set[tuple[str, str]] = set()
    if slots.get("role"):
        items.add(("role", str(slots["role"])))
    for section in slots.get("sections") or []:
        if str(section).lower() in ("none", "unknown"):
            continue  # the checker's "Not sectioned" and "I don't know": not sections
        items.add(("section", str(section).upper()))
    if slots.get("place"):
        items.add(("place", str(slots["place"])))
    area = slots.get("area")
    if area and area not in ("unknown",):
        items.add(("area", str(area).lower() if area not in ("wales", "england") else
                   str(slots.get("country") or area).lower()))
    elif slots.get("country"):
        items.add(("area", str(slots["country"]).lower()))
    return items


def expected_facts(facts: dict[str, Any]) -> set[tuple[str, str]]:
    slots = {"role": facts.get("role"), "sections": facts.get("sections") or [],
             "place": facts.get("place"), "area": facts.get("area"),
             "country": facts.get("country")}
    if slots["area"] is None and slots["country"]:
        slots["area"] = None
    return facts_of(slots)


def known_facts(slots: dict[str, Any]) -> dict[str, Any]:
    from bot.sections import canonical_sections  # as the checker reads them

    return {"role": slots.get("role"),
            "sections": canonical_sections(slots.get("elig_sections")),
            "place": slots.get("place"), "area": slots.get("area"),
            "country": slots.get("country")}


@dataclass
class Tally:
    """Counts for one file or one group of files."""
    long_total: int = 0
    main_first: int = 0
    multi_total: int = 0
    multi_all: int = 0
    fact_tp: int = 0
    fact_fp: int = 0
    fact_fn: int = 0
    conv_total: int = 0
    conv_right: int = 0
    turns_total: int = 0
    turns_right: int = 0
    short_total: int = 0
    short_right: int = 0
    short_asked: int = 0
    short_wrong: int = 0
    crisis_total: int = 0
    crisis_caught: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name, value in vars(other).items():
            if isinstance(value, int):
                setattr(self, name, getattr(self, name) + value)

    @property
    def fact_f1(self) -> float:
        p = self.fact_tp / (self.fact_tp + self.fact_fp) if self.fact_tp + self.fact_fp else 1.0
        r = self.fact_tp / (self.fact_tp + self.fact_fn) if self.fact_tp + self.fact_fn else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_long(message: dict[str, Any], turn: Turn, tally: Tally) -> None:
    main = list(message.get("main") or [])
    also = [a if isinstance(a, list) else [a] for a in message.get("also") or []]
    tally.long_total += 1
    right = fits(turn.first, main)
    tally.main_first += right
    if "crisis" in main:
        tally.crisis_total += 1
        tally.crisis_caught += turn.first == "crisis"
    everything = True
    if also:
        tally.multi_total += 1
        addressed = set(turn.labels) | set(turn.offered)
        everything = any(fits(a, main) for a in addressed) and all(
            any(fits(a, item) for a in addressed) for item in also)
        tally.multi_all += everything
    expected = expected_facts(message.get("facts") or {})
    got = facts_of(known_facts(turn.slots))
    tally.fact_tp += len(expected & got)
    tally.fact_fp += len(got - expected)
    tally.fact_fn += len(expected - got)
    if not right or not everything or expected != got:
        tally.misses.append({"id": message.get("id"), "main": main, "also": also,
                             "answered": turn.labels, "offered": turn.offered,
                             "facts_missing": sorted(expected - got),
                             "facts_extra": sorted(got - expected)})


def turn_is_right(expect: dict[str, Any], turn: Turn) -> bool:
    if not fits(turn.first, list(expect.get("expect") or [])):
        return False
    if expect.get("verdict") and turn.verdict != expect["verdict"]:
        return False
    wanted = expected_facts(expect.get("facts") or {})
    return wanted <= facts_of(known_facts(turn.slots))


class Runner:
    """The model in this process (rasa Agent), the real action server on a free loopback port."""

    def __init__(self, model: Path) -> None:
        self.model = model
        self.port = _free_port()
        self.actions: subprocess.Popen | None = None
        self.agent = None

    def __enter__(self) -> "Runner":
        env = {**os.environ, "SANIC_HOST": "127.0.0.1", "PYTHONPATH": str(ROOT),
               "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        rasa = str(Path(sys.executable).parent / "rasa")
        self.actions = subprocess.Popen(
            [rasa, "run", "actions", "--actions", "actions", "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        import logging

        from rasa.core.agent import Agent
        from rasa.utils.endpoints import EndpointConfig
        from rasa.utils.log_utils import configure_structlog

        # Rasa's debug lines would print every message's text; warnings only.
        logging.getLogger().setLevel(logging.WARNING)
        configure_structlog(logging.WARNING)
        from rasa_extensions import model_loading

        model_loading.install()  # as the Rasa server loads it (scripts/rasa_server.py)
        # endpoints.yml's action endpoint (so the domain is sent as `make run` sends it), here.
        endpoint = yaml.safe_load((ROOT / "endpoints.yml").read_text())["action_endpoint"]
        self.agent = Agent.load(str(self.model), action_endpoint=EndpointConfig.from_dict(
            {**endpoint, "url": f"http://127.0.0.1:{self.port}/webhook"}))
        _wait_for_port(self.port, 120)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.actions is not None:
            self.actions.terminate()
            self.actions.wait(timeout=20)

    async def say(self, sender: str, text: str) -> Turn:
        from rasa.core.channels.channel import UserMessage

        from web.chat import CRISIS_PAYLOAD, crisis_metadata
        from bot.crisis import looks_like_crisis
        # As the web backend does (web/chat.py): crisis words first, whatever the model says,
        # with the words beside them as metadata.
        sent = CRISIS_PAYLOAD if looks_like_crisis(text) else text
        tracker = await self.agent.processor.get_tracker(sender)
        before = len(tracker.events)
        await self.agent.handle_message(UserMessage(sent, sender_id=sender,
                                                    metadata=crisis_metadata(sent, text)))
        tracker = await self.agent.processor.get_tracker(sender)
        events = [e.as_dict() for e in list(tracker.events)[before:]]
        turn = turn_from_events(events)
        turn.slots = tracker.current_slot_values()
        return turn


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, limit: float) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the action server did not start")


def _sender() -> str:
    return uuid.uuid4().hex


async def run_long(runner: Runner, path: Path) -> Tally:
    tally = Tally()
    for message in yaml.safe_load(path.read_text())["messages"]:
        turn = await runner.say(_sender(), message["text"])
        score_long(message, turn, tally)
    return tally


async def run_conversations(runner: Runner, path: Path) -> Tally:
    tally = Tally()
    for conversation in yaml.safe_load(path.read_text())["conversations"]:
        sender, all_right, got = _sender(), True, []
        for step in conversation["turns"]:
            turn = await runner.say(sender, step["user"])
            right = turn_is_right(step, turn)
            tally.turns_total += 1
            tally.turns_right += right
            if "crisis" in (step.get("expect") or []):
                tally.crisis_total += 1
                tally.crisis_caught += turn.first == "crisis"
            all_right &= right
            got.append({"user": step["user"], "expect": step.get("expect"),
                        "answered": turn.labels, "verdict": turn.verdict, "right": right})
        tally.conv_total += 1
        tally.conv_right += all_right
        if not all_right:
            tally.misses.append({"id": conversation.get("id"), "turns": got})
    return tally


def holdout_examples(holdout: Path) -> dict[str, list[tuple[str, str]]]:
    """File name -> [(text, intent)] of held-out topic questions."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(holdout.glob("*.yml")):
        data = yaml.safe_load(path.read_text()) or {}
        for item in data.get("nlu") or []:
            intent = item.get("intent")
            if not intent or intent in CONVERSATIONAL:
                continue
            for line in str(item.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    out.setdefault(path.stem, []).append((line.strip()[2:], intent))
    return out


async def run_short(runner: Runner, examples: list[tuple[str, str]]) -> Tally:
    tally = Tally()
    for text, intent in examples:
        turn = await runner.say(_sender(), text)
        want = label_of_intent(intent)
        tally.short_total += 1
        if fits(turn.first, [want]):
            tally.short_right += 1
        elif turn.first in ASKED or turn.first is None:
            tally.short_asked += 1
        else:
            tally.short_wrong += 1
            tally.misses.append({"text": text, "intent": intent, "answered": turn.labels})
    return tally


async def threshold_table(runner: Runner, examples: list[tuple[str, str]]) -> str:
    """What the held-out topic questions would get at other thresholds of bot.understanding:
    the figures the thresholds there are chosen on (a fresh conversation for each)."""
    from actions.answer import reading_of
    from bot.understanding import ANSWER, Thresholds, decide

    readings = [(reading_of(await runner.agent.parse_message(text)), intent)
                for text, intent in examples]
    lines = [f"{'plausible':>9} {'possible':>8} {'right':>7} {'wrong':>7} {'asked':>7}"]
    for plausible in (0.2, 0.3, 0.4, 0.5, 0.6):
        for possible in (0.08, 0.12, 0.2):
            right = wrong = asked = 0
            for reading, intent in readings:
                d = decide(reading, thresholds=Thresholds(plausible=plausible, possible=possible))
                if d.kind == ANSWER and fits(label_of_intent(d.topics[0]),
                                             [label_of_intent(intent)]):
                    right += 1
                elif d.kind == ANSWER:
                    wrong += 1
                else:
                    asked += 1
            n = len(readings)
            lines.append(f"{plausible:>9} {possible:>8} {pct(right, n):>7} {pct(wrong, n):>7} "
                         f"{pct(asked, n):>7}")
    return "\n".join(lines)


# The targets, printed beside what was measured (blind first).
TARGETS = (
    ("long: main question answered first", lambda t: _share(t.main_first, t.long_total), ">=", 0.85),
    ("long: every question addressed", lambda t: _share(t.multi_all, t.multi_total), ">=", 0.75),
    ("long: situation facts F1", lambda t: t.fact_f1 if t.long_total else None, ">=", 0.90),
    ("conversations: every turn right", lambda t: _share(t.conv_right, t.conv_total), ">=", 0.90),
    ("short: right topic answered", lambda t: _share(t.short_right, t.short_total), ">=", 0.95),
    ("short: asked instead of answered", lambda t: _share(t.short_asked, t.short_total), "<=", 0.04),
    ("short: wrong topic answered", lambda t: _share(t.short_wrong, t.short_total), "<=", 0.02),
    ("crisis texts caught", lambda t: _share(t.crisis_caught, t.crisis_total), ">=", 1.0),
)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def targets_table(blind: Tally, tuned: Tally, everything: Tally) -> str:
    lines = [f"{'target':38} {'goal':>7} {'blind':>7} {'tuned':>7} {'all':>7}  met (all)"]
    for name, measure, sense, goal in TARGETS:
        cells = []
        for tally in (blind, tuned, everything):
            value = measure(tally)
            cells.append("-" if value is None else f"{value:.3f}")
        value = measure(everything)
        met = value is not None and (value >= goal if sense == ">=" else value <= goal)
        lines.append(f"{name:38} {sense}{goal:>5.2f} {cells[0]:>7} {cells[1]:>7} {cells[2]:>7}  "
                     f"{'yes' if met else 'NO'}")
    return "\n".join(lines)


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def table(rows: list[tuple[str, Tally]]) -> str:
    head = (f"{'set':34} {'n':>5} {'main 1st':>8} {'all Qs':>8} {'fact F1':>7} "
            f"{'convs':>5} {'all ok':>7} {'turns ok':>8} {'short':>5} {'right':>7} {'asked':>7} "
            f"{'wrong':>7} {'crisis':>7}")
    lines = [head, "-" * len(head)]
    for name, t in rows:
        lines.append(
            f"{name:34} {t.long_total:>5} {pct(t.main_first, t.long_total):>8} "
            f"{pct(t.multi_all, t.multi_total):>8} "
            f"{(f'{t.fact_f1:.3f}' if t.long_total else '-'):>7} {t.conv_total:>5} "
            f"{pct(t.conv_right, t.conv_total):>7} {pct(t.turns_right, t.turns_total):>8} "
            f"{t.short_total:>5} {pct(t.short_right, t.short_total):>7} "
            f"{pct(t.short_asked, t.short_total):>7} {pct(t.short_wrong, t.short_total):>7} "
            f"{(f'{t.crisis_caught}/{t.crisis_total}' if t.crisis_total else '-'):>7}")
    return "\n".join(lines)


def is_blind(name: str) -> bool:
    return Path(name).name.startswith("blind_")


async def evaluate(runner: Runner, sets: Path, holdout: Path | None,
                   tuned_only: bool = False) -> dict[str, Tally]:
    results: dict[str, Tally] = {}
    keep = (lambda name: not is_blind(name)) if tuned_only else (lambda name: True)
    for path in sorted(sets.glob("*long_messages*.yml")):
        if keep(path.stem):
            results[path.stem] = await run_long(runner, path)
    for path in sorted(sets.glob("*conversations*.yml")):
        if keep(path.stem):
            results[path.stem] = await run_conversations(runner, path)
    if holdout is not None:
        for name, examples in holdout_examples(holdout).items():
            if keep(name):
                results[f"holdout/{name}"] = await run_short(runner, examples)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "current.tar.gz")
    parser.add_argument("--sets", type=Path, default=SETS)
    parser.add_argument("--holdout", type=Path, default=HOLDOUT)
    parser.add_argument("--no-holdout", action="store_true")
    parser.add_argument("--tuned-only", action="store_true",
                        help="leave the blind files out (for working on the understanding)")
    parser.add_argument("--thresholds", action="store_true",
                        help="also print the held-out figures at other thresholds")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "conversations")
    parser.add_argument("--min-main-first", type=float, default=0.0)
    parser.add_argument("--min-all-questions", type=float, default=0.0)
    parser.add_argument("--min-fact-f1", type=float, default=0.0)
    parser.add_argument("--min-conversations", type=float, default=0.0)
    parser.add_argument("--min-short-right", type=float, default=0.0)
    parser.add_argument("--max-short-asked", type=float, default=1.0)
    parser.add_argument("--max-short-wrong", type=float, default=1.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    async def run_all(runner: Runner) -> dict[str, Tally]:
        results = await evaluate(runner, args.sets, None if args.no_holdout else args.holdout,
                                 args.tuned_only)
        if args.thresholds:
            # Thresholds are chosen on these figures, so never on the blind files.
            examples = [e for name, batch in holdout_examples(args.holdout).items()
                        for e in batch if not is_blind(name)]
            print(f"The {len(examples)} held-out topic questions of the files that are not "
                  "blind, at other thresholds of bot/understanding.py:")
            print(await threshold_table(runner, examples) + "\n")
        return results

    with Runner(args.model) as runner:
        results = asyncio.run(run_all(runner))
    blind = {k: v for k, v in results.items() if is_blind(k)}
    tuned = {k: v for k, v in results.items() if k not in blind}
    groups: list[tuple[str, Tally]] = []
    for label, part in (("BLIND (never tuned on)", blind), ("the rest (tuned on)", tuned)):
        total = Tally()
        for tally in part.values():
            total.add(tally)
        groups.append((label, total))
    everything = Tally()
    for tally in results.values():
        everything.add(tally)
    print(table([(f"  {k}", v) for k, v in blind.items()] + [groups[0]]))
    print()
    print(table([(f"  {k}", v) for k, v in tuned.items()] + [groups[1], ("ALL", everything)]))
    print(f"\n{sum(t.long_total + t.turns_total + t.short_total for t in results.values())} "
          f"messages in {time.monotonic() - started:.0f} s")
    args.out.mkdir(parents=True, exist_ok=True)
    # Misses of the tuned files only: the blind files' errors are not for reading.
    (args.out / "misses_tuned.json").write_text(json.dumps(
        {k: v.misses for k, v in tuned.items()}, indent=1))
    e = everything
    print("\n" + targets_table(groups[0][1], groups[1][1], everything))
    failures = [
        name for name, ok in (
            ("main question first", e.main_first >= args.min_main_first * e.long_total),
            ("every question addressed", e.multi_all >= args.min_all_questions * e.multi_total),
            ("situation facts F1", e.fact_f1 >= args.min_fact_f1),
            ("conversations all right", e.conv_right >= args.min_conversations * e.conv_total),
            ("short: right topic", e.short_right >= args.min_short_right * e.short_total),
            ("short: asked", e.short_asked <= args.max_short_asked * e.short_total),
            ("short: wrong", e.short_wrong <= args.max_short_wrong * e.short_total),
            ("crisis caught", e.crisis_caught == e.crisis_total),
        ) if not ok]
    if failures:
        print("\nBelow the bar: " + ", ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
