"""Small extensions Rasa loads by name from endpoints.yml (kept apart from bot/, which never
imports Rasa)."""
