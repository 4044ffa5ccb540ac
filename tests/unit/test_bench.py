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


def test_a_rate_limited_run_stops_with_the_setting_to_use(capsys, monkeypatch):
    import argparse

    import httpx

    from benchmarks import bench

    def limited(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, json={"detail": "slow down"})

    original = bench.measure

    async def through_mock(*args, **kwargs):
        return await original(*args, **kwargs, transport=httpx.MockTransport(limited))

    monkeypatch.setattr(bench, "measure", through_mock)
    args = argparse.Namespace(load_only=False, no_load=True, turns=2,
                              web="http://127.0.0.1:9", rasa="http://127.0.0.1:9")
    assert bench.measure_all(args, actions_port=9, startup=None) == 1
    assert "S117_TRUSTED_PROXIES=127.0.0.1" in capsys.readouterr().out


def test_rounds_are_new_conversations_one_after_another():
    import asyncio
    import json

    import httpx

    from benchmarks import bench

    senders: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        senders.append(json.loads(request.content)["sender"])
        return httpx.Response(200, json=[{"text": "ok"}])

    row = asyncio.run(bench.measure("rasa", "http://rasa.invalid", 1, 4, rounds=3,
                                    transport=httpx.MockTransport(answer)))
    assert row["turns"] == 12
    assert len(senders) == 2 + 12 and len(set(senders[2:])) == 3  # after the warm-up's 2 turns
