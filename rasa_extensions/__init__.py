"""Small extensions Rasa loads by name from endpoints.yml (kept apart from bot/, which never
imports Rasa).

Importing this package (Rasa does, to load the guarded tracker store) also installs the
once-built action-result validator (action_validation.py), the remembered event classes
(event_types.py), the kept-open connection to the action server (action_connection.py) and
the graph runs planned once (graph_runs.py):
same results, less work per turn.
"""

from rasa_extensions import action_connection, action_validation, event_types, graph_runs

action_connection.install()
action_validation.install()
event_types.install()
graph_runs.install()
