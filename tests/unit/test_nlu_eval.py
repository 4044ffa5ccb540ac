"""The NLU gate's arithmetic: what passes, what fails, and the per-file macro-F1."""

from __future__ import annotations

from scripts.nlu_eval import gate, macro_f1, thin_intents


def test_gate_needs_both_the_macro_and_every_intent():
    assert gate({"a": 0.95, "b": 0.90}, 0.92, 0.80) == (True, 0.925, [])
    ok, macro, low = gate({"a": 1.0, "b": 0.79, "c": 1.0}, 0.92, 0.80)
    assert (ok, low) == (False, ["b"]) and macro > 0.92
    assert gate({"a": 0.91, "b": 0.91}, 0.92, 0.80)[0] is False
    assert gate({}, 0.92, 0.80)[0] is False


def test_macro_f1_counts_a_wrong_guess_against_both_intents():
    rows = [("x1", "a", "a"), ("x2", "a", "b"), ("y1", "b", "b")]
    # a: precision 1, recall 1/2 -> 2/3; b: precision 1/2, recall 1 -> 2/3
    assert abs(macro_f1(rows) - 2 / 3) < 1e-9
    assert macro_f1([("x", "a", "b")]) == 0.0
    assert macro_f1([]) == 0.0


def test_an_intent_with_too_few_held_out_examples_is_named():
    counts = {"greet": 12, "ask_choice": 9}
    assert thin_intents(["greet", "ask_choice", "stop"], counts, 10) == ["ask_choice", "stop"]
    assert thin_intents(["greet"], counts, 10) == []
