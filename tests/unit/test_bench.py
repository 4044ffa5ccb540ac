"""benchmarks/bench.py: the figures beside issue 15's targets, and the percentile it reports."""

from __future__ import annotations

from benchmarks.bench import percentile, targets_table


def test_each_target_says_met_or_not_by_its_own_direction(capsys):
    targets_table({"startup": {"seconds": 11.0}, ("web", 1): {"p50": 45.0},
                   "rasa saturation": {"tps": 41.0}})
    lines = {line.split("  ")[0].strip(): line for line in capsys.readouterr().out.splitlines()}
    assert lines["start-up with a trained model, s"].endswith("yes")           # 11 <= 15
    assert lines["one conversation, p50 per turn via /api/chat, ms"].endswith("NO")  # 45 > 30
    assert lines["saturation, Rasa REST, SQLite store, turns/s"].endswith("yes")   # 41 >= 40
    assert lines["50 conversations at once, p95 via /api/chat, ms"].endswith("(not measured)")


def test_percentile_picks_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 51.0    # rank round(0.5 * 99) = 50, from 0
    assert percentile(values, 0.95) == 95.0   # rank round(0.95 * 99) = 94
    assert percentile(list(reversed(values)), 0.95) == 95.0  # sorted first
    assert percentile([7.0], 0.95) == 7.0
