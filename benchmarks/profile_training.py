"""Where a training's time goes: `rasa train` in this process, every graph node timed.

Rasa runs the training graph one node at a time (dask's synchronous scheduler), so wrapping
GraphNode.__call__ gives each node's own time, and the rest of the run (reading the data,
fingerprinting, packing the model) is the difference to the total. `--force` trains every node
(what a data change costs at most); without it Rasa's training cache is used as `make train`
uses it. The model goes to a temporary folder (or to `--keep PATH`): models/current.tar.gz is
left alone.

    python -m benchmarks.profile_training --force
"""

from __future__ import annotations

import argparse
import collections
import os
import shutil
import tempfile
import time

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def component_of(node_name: str) -> str:
    """'train_DIETClassifier5' -> 'DIETClassifier' (the component, without Rasa's index)."""
    for prefix in ("train_", "run_", "finetuned_"):
        if node_name.startswith(prefix):
            node_name = node_name[len(prefix):]
            break
    return node_name.rstrip("0123456789") or node_name


def breakdown(timings: list[tuple[str, str, float]], total: float) -> list[tuple[str, float]]:
    """(what, seconds), largest first, with 'the rest' = total minus the timed nodes."""
    by_part: collections.Counter = collections.Counter()
    for component, fn, seconds in timings:
        by_part[f"{component}.{fn}"] += seconds
    rows = sorted(by_part.items(), key=lambda row: -row[1])
    rest = total - sum(by_part.values())
    return rows + [("reading data, fingerprints, cache, packing the model", max(rest, 0.0))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="train every node, no cache")
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--keep", help="copy the trained model to this path")
    parser.add_argument("--min-seconds", type=float, default=0.5,
                        help="leave out parts under this many seconds")
    args = parser.parse_args()

    import rasa.engine.graph as graph
    from rasa.model_training import train

    timings: list[tuple[str, str, float]] = []
    original = graph.GraphNode.__call__

    def timed(self, *inputs):
        started = time.perf_counter()
        try:
            return original(self, *inputs)
        finally:
            timings.append((component_of(self._node_name), self._fn_name,
                            time.perf_counter() - started))

    graph.GraphNode.__call__ = timed
    with tempfile.TemporaryDirectory(prefix="s117-train-") as out:
        started = time.perf_counter()
        result = train(domain="domain.yml", config=args.config, training_files="data",
                       output=out, force_training=args.force, fixed_model_name="profile")
        total = time.perf_counter() - started
        if args.keep and result.code == 0:
            shutil.copyfile(result.model, args.keep)
    graph.GraphNode.__call__ = original
    if result.code != 0:
        print(f"training failed (code {result.code})")
        return 1

    print(f"\ntraining{' (--force)' if args.force else ''}: {total:.1f} s in all\n")
    print(f"{'part':<64}{'seconds':>9}{'share':>8}")
    for name, seconds in breakdown(timings, total):
        if seconds >= args.min_seconds:
            print(f"{name:<64}{seconds:>9.1f}{seconds / total:>8.0%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
