"""Works out each graph run's plan once, instead of at every run.

Rasa 3.6 runs its model graph three or so times a turn (reading the message, then choosing each
next action), and every DaskGraphRunner.run first works out which nodes the targets need by
walking the schema's dependencies recursively, with no memory of the nodes already walked, and
builds a dask graph of them. Both depend only on the targets, and the schema never changes once
the model is loaded: that walk was 5.2% of the Rasa server's time in one conversation (py-spy,
2026-12-08, issue 15). Here the dask graph is built once per set of targets and copied (a
shallow dict copy) for each run, which then adds its inputs to the copy and runs it exactly as
Rasa does. Rasa's debug line, which formats every input (the message and the whole tracker)
even when debug logging is off, is now formatted only when it is on.

Installed by rasa_extensions/__init__.py; tests/unit/test_graph_runs.py compares it with
Rasa's own run on the same graph.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

import dask
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner, logger

RASAS_OWN = DaskGraphRunner.run


def planned_graph(runner: DaskGraphRunner, targets: List[Text]) -> Dict[Text, Any]:
    """The dask graph of the nodes `targets` need, built on the first run for them."""
    plans = runner.__dict__.setdefault("_planned_graphs", {})
    key = tuple(targets)
    if key not in plans:
        plans[key] = runner._build_dask_graph(runner._graph_schema.minimal_graph_schema(targets))
    return plans[key]


def run(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
        targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """Rasa 3.6.21's DaskGraphRunner.run, on a copy of the planned graph."""
    run_targets = targets if targets else self._graph_schema.target_names
    run_graph = dict(planned_graph(self, run_targets))
    if inputs:
        self._add_inputs_to_graph(inputs, run_graph)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(f"Running graph with inputs: {inputs}, targets: {targets} "
                     f"and {self._execution_context}.")
    try:
        dask_result = dask.get(run_graph, run_targets)
        return dict(dask_result)
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e


def install() -> None:
    DaskGraphRunner.run = run
