"""Small extensions Rasa loads by name from endpoints.yml (kept apart from bot/, which never
imports Rasa).

Importing this package (Rasa does, to load the guarded tracker store) also installs the
once-built action-result validator (action_validation.py) and the remembered event classes
(event_types.py): same results, less work per turn.
"""

from rasa_extensions import action_validation, event_types

action_validation.install()
event_types.install()
