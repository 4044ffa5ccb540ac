"""Readability of every topic, as a table: `make readability`.

For each topic (a response pair utter_<topic> / utter_detail_<topic> in domain.yml) it prints the
Flesch Reading Ease and Flesch-Kincaid grade of the easy-read answer (all role variations
together, as tests/content scores them) and the grade of the More detail answer, with the
longest sentence of each. tests/content enforces the limits; this shows how close each topic is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from bot.readability import (DETAIL_MAX_GRADE, EASY_MAX_GRADE, EASY_MIN_FRE, longest_sentence,
                             scores)
from bot.topics import topic_names


def topic_rows(responses: dict) -> list[tuple[str, float, float, int, float, int]]:
    rows = []
    for topic in topic_names(responses):
        easy = "\n\n".join(v["text"] for v in responses[f"utter_{topic}"])
        detail = "\n\n".join(v["text"] for v in responses[f"utter_detail_{topic}"])
        fre, grade = scores(easy)
        rows.append((topic, fre, grade, longest_sentence(easy), scores(detail)[1],
                     longest_sentence(detail)))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--domain", type=Path, default=Path("domain.yml"))
    args = ap.parse_args(argv)
    responses = (yaml.safe_load(args.domain.read_text(encoding="utf-8")) or {})["responses"]
    rows = topic_rows(responses)
    print(f"{'topic':22s} {'easy FRE':>8s} {'grade':>6s} {'words':>6s}   {'detail grade':>12s} {'words':>6s}")
    for topic, fre, grade, words, detail_grade, detail_words in rows:
        print(f"{topic:22s} {fre:8.1f} {grade:6.1f} {words:6d}   {detail_grade:12.1f} {detail_words:6d}")
    if rows:
        print(f"\n{len(rows)} topics; lowest easy FRE {min(r[1] for r in rows):.1f}, highest easy "
              f"grade {max(r[2] for r in rows):.1f}, highest detail grade {max(r[4] for r in rows):.1f}"
              f" (limits: FRE >= {EASY_MIN_FRE:g}, grade <= {EASY_MAX_GRADE:g}, detail grade <= "
              f"{DETAIL_MAX_GRADE:g})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
