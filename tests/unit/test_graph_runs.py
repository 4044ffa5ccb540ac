"""The planned graph runs (rasa_extensions/graph_runs.py): the same results as Rasa's own
DaskGraphRunner.run on one graph, run after run, whatever the targets and inputs."""

from __future__ import annotations

from typing import Any, Dict, Text

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from rasa_extensions import graph_runs


class Step(GraphComponent):
    """Joins what it was given with its own name: the result shows the path taken."""

    calls = 0

    def __init__(self, name: str) -> None:
        self.name = name

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage, resource, execution_context
               ) -> "Step":
        return cls(config["name"])

    def run(self, **given: Any) -> str:
        Step.calls += 1
        if "fail" in given.values():
            raise RuntimeError("a component failed")
        return f"{self.name}(" + ",".join(f"{k}={given[k]}" for k in sorted(given)) + ")"


def node(name: str, needs: dict[str, str], target: bool = False) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Step, constructor_name="create", fn="run",
                      config={"name": name}, is_target=target)


# Two targets that share a middle: a message read by a chain, and a choice made from both.
SCHEMA = GraphSchema({
    "read": node("read", {"text": "__message__"}),
    "rank": node("rank", {"read": "read"}),
    "nlu": node("nlu", {"rank": "rank"}, target=True),
    "state": node("state", {"tracker": "__tracker__"}),
    "policy": node("policy", {"state": "state", "nlu": "nlu"}),
    "choose": node("choose", {"policy": "policy", "state": "state"}, target=True),
})


@pytest.fixture
def runner(tmp_path):
    storage = LocalModelStorage(tmp_path)
    return DaskGraphRunner(SCHEMA, storage, ExecutionContext(SCHEMA, "model"))


def test_the_same_results_as_rasas_run_every_time(runner):
    runs = [({"__message__": "hello"}, ["nlu"]),
            ({"__message__": "hi", "__tracker__": "t1"}, ["choose"]),
            ({"__message__": "again", "__tracker__": "t2"}, ["nlu", "choose"]),
            ({"__message__": "hello"}, ["nlu"]),
            ({"__message__": "x", "__tracker__": "t3"}, None)]  # None: every target
    for inputs, targets in runs * 2:
        assert graph_runs.run(runner, inputs, targets) == \
            graph_runs.RASAS_OWN(runner, inputs, targets)
    assert graph_runs.run(runner, {"__message__": "hello"}, ["nlu"]) == {
        "nlu": "nlu(rank=rank(read=read(text=hello)))"}


def test_each_plan_is_made_once_and_a_run_never_changes_it(runner):
    graph_runs.run(runner, {"__message__": "one"}, ["nlu"])
    planned = dict(runner._planned_graphs[("nlu",)])
    graph_runs.run(runner, {"__message__": "two"}, ["nlu"])
    assert runner._planned_graphs[("nlu",)] == planned  # the inputs went into a copy
    assert "__message__" not in planned
    assert set(planned) == {"read", "rank", "nlu"}  # only what the target needs
    Step.calls = 0
    graph_runs.run(runner, {"__message__": "three"}, ["nlu"])
    assert Step.calls == 3  # nothing else was run


@pytest.mark.parametrize("run", [graph_runs.run, graph_runs.RASAS_OWN])
def test_errors_are_rasas(runner, run):
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        run(runner, {"__message__": "read"}, ["nlu"])
    with pytest.raises(GraphComponentException, match="for node read"):
        run(runner, {"__message__": "fail"}, ["nlu"])
    # and the plan is still whole for the next run
    assert run(runner, {"__message__": "ok"}, ["nlu"]) == {
        "nlu": "nlu(rank=rank(read=read(text=ok)))"}


def test_installed_when_rasa_loads_our_extensions():
    import rasa_extensions  # noqa: F401  (installs on import)
    assert DaskGraphRunner.run is graph_runs.run
