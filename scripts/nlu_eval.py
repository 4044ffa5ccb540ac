"""Held-out NLU evaluation: the gate in `make test`.

    python -m scripts.nlu_eval --model models/current.tar.gz --holdout tests/nlu_holdout --out results/nlu

Runs `rasa test nlu` on the held-out set (examples written separately and never trained on), reads
`intent_report.json`, prints a per-intent table and exits non-zero unless the intent macro-F1 over
the intents that HAVE held-out data is at least --min-macro (0.92) and no such intent is below
--min-intent (0.80), and every intent in domain.yml has at least --min-examples (10) held-out
examples. `rasa test nlu` scores the classifier's top intent: it undoes the
FallbackClassifier, so a right-but-unsure guess (which users get as a "Did you mean" button)
counts as right.

The macro-F1 of each held-out file is printed too (not gated): the files were written at different
times, and a file nobody has tuned the training data against is the fairer measure.

It also prints a histogram of the prediction confidences (correct vs wrong) from the
successes/errors files, which is what the FallbackClassifier threshold in config.yml is tuned on.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

FALLBACK = "nlu_fallback"


def holdout_intents(holdout: Path) -> dict[str, int]:
    """Intent name -> number of held-out examples, from Rasa NLU yaml files."""
    files = [holdout] if holdout.is_file() else sorted(holdout.rglob("*.yml"))
    counts: dict[str, int] = {}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu") or []:
            if "intent" in item:
                n = sum(1 for line in str(item.get("examples", "")).splitlines()
                        if line.strip().startswith("- "))
                counts[item["intent"]] = counts.get(item["intent"], 0) + n
    return counts


def domain_intents(domain: Path) -> list[str]:
    data = yaml.safe_load(domain.read_text(encoding="utf-8")) or {}
    return [i if isinstance(i, str) else next(iter(i)) for i in data.get("intents") or []]


def score(report: dict[str, Any], intents: list[str]) -> dict[str, float]:
    """F1 per held-out intent; an intent missing from the report scored 0."""
    return {i: float((report.get(i) or {}).get("f1-score", 0.0)) for i in intents}


def gate(f1: dict[str, float], min_macro: float, min_intent: float) -> tuple[bool, float, list[str]]:
    macro = sum(f1.values()) / len(f1) if f1 else 0.0
    low = sorted(i for i, v in f1.items() if v < min_intent)
    return (bool(f1) and macro >= min_macro and not low), macro, low


def thin_intents(domain: list[str], counts: dict[str, int], minimum: int) -> list[str]:
    """Domain intents with fewer than `minimum` held-out examples: too few to score fairly."""
    return [i for i in domain if counts.get(i, 0) < minimum]


def file_examples(holdout: Path) -> dict[str, set[str]]:
    """Held-out file name -> the example texts in it."""
    files = [holdout] if holdout.is_file() else sorted(holdout.rglob("*.yml"))
    found: dict[str, set[str]] = {}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        found[path.name] = {line.strip()[2:].strip()
                            for item in data.get("nlu") or [] if "intent" in item
                            for line in str(item.get("examples", "")).splitlines()
                            if line.strip().startswith("- ")}
    return found


def predictions(out: Path) -> list[tuple[str, str, str]]:
    """(text, true intent, predicted intent) for every held-out example Rasa scored."""
    rows = []
    for name in ("intent_successes.json", "intent_errors.json"):
        path = out / name
        if path.exists():
            rows += [(r["text"], r["intent"], (r.get("intent_prediction") or {}).get("name", ""))
                     for r in json.loads(path.read_text(encoding="utf-8"))]
    return rows


def macro_f1(rows: list[tuple[str, str, str]]) -> float:
    """Intent macro-F1 over the true intents present in rows."""
    intents = {true for _, true, _ in rows}
    f1s = []
    for intent in intents:
        tp = sum(1 for _, t, p in rows if t == intent and p == intent)
        fp = sum(1 for _, t, p in rows if t != intent and p == intent)
        fn = sum(1 for _, t, p in rows if t == intent and p != intent)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def confidence_histogram(out: Path) -> str:
    """Counts of correct and wrong predictions per confidence band (0.1 wide)."""
    bands = [[0, 0] for _ in range(10)]
    asked = 0
    for name, ok in [("intent_successes.json", 0), ("intent_errors.json", 1)]:
        path = out / name
        if not path.exists():
            continue
        for row in json.loads(path.read_text(encoding="utf-8")):
            pred = row.get("intent_prediction") or {}
            if pred.get("name") == FALLBACK:
                asked += 1
                continue
            conf = float(pred.get("confidence") or 0.0)
            bands[min(int(conf * 10), 9)][ok] += 1
    lines = ["confidence   correct  wrong"]
    for k, (good, bad) in enumerate(bands):
        if good or bad:
            lines.append(f"{k / 10:.1f}-{(k + 1) / 10:.1f}    {good:7d}  {bad:5d}")
    lines.append(f"asked (nlu_fallback): {asked}")
    return "\n".join(lines)


def run_rasa(model: Path, holdout: Path, out: Path) -> None:
    rasa = Path(sys.executable).with_name("rasa")
    cmd = [str(rasa) if rasa.exists() else "rasa", "test", "nlu", "--model", str(model),
           "--nlu", str(holdout), "--out", str(out), "--successes", "--no-plot", "--quiet"]
    subprocess.run(cmd, check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", type=Path, default=Path("models/current.tar.gz"))
    ap.add_argument("--holdout", type=Path, default=Path("tests/nlu_holdout"))
    ap.add_argument("--out", type=Path, default=Path("results/nlu"))
    ap.add_argument("--domain", type=Path, default=Path("domain.yml"))
    ap.add_argument("--min-macro", type=float, default=0.92)
    ap.add_argument("--min-intent", type=float, default=0.80)
    ap.add_argument("--min-examples", type=int, default=10)
    ap.add_argument("--skip-run", action="store_true", help="only read an existing report")
    args = ap.parse_args(argv)

    counts = holdout_intents(args.holdout)
    if not counts:
        print(f"No held-out examples in {args.holdout}", file=sys.stderr)
        return 2
    if not args.skip_run:
        args.out.mkdir(parents=True, exist_ok=True)
        run_rasa(args.model, args.holdout, args.out)
    report = json.loads((args.out / "intent_report.json").read_text(encoding="utf-8"))
    f1 = score(report, sorted(counts))

    print(f"\n{'intent':28s} {'n':>3s} {'prec':>6s} {'recall':>6s} {'f1':>6s}")
    for intent in sorted(f1, key=lambda i: (f1[i], i)):
        row = report.get(intent) or {}
        mark = "  <-- below" if f1[intent] < args.min_intent else ""
        print(f"{intent:28s} {counts[intent]:3d} {row.get('precision', 0):6.2f} "
              f"{row.get('recall', 0):6.2f} {f1[intent]:6.2f}{mark}")
    ok, macro, low = gate(f1, args.min_macro, args.min_intent)
    print(f"\nintents with held-out data: {len(f1)}; examples: {sum(counts.values())}")
    print(f"intent macro-F1 (held-out intents): {macro:.3f} (need >= {args.min_macro})")
    thin = thin_intents(domain_intents(args.domain), counts, args.min_examples)
    if thin:
        print(f"fewer than {args.min_examples} held-out examples: " + ", ".join(thin))
    rows = predictions(args.out)
    for name, texts in file_examples(args.holdout).items():
        in_file = [row for row in rows if row[0] in texts]
        print(f"  {name}: {len(in_file)} examples, macro-F1 {macro_f1(in_file):.3f}")
    print("\n" + confidence_histogram(args.out))
    if not ok or thin:
        print(f"\nFAIL: macro-F1 {macro:.3f}; below {args.min_intent}: {', '.join(low) or 'none'}; "
              f"under {args.min_examples} held-out examples: {', '.join(thin) or 'none'}",
              file=sys.stderr)
        return 1
    print("\nNLU held-out gate passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
