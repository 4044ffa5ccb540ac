"""Custom Rasa NLU components (they import rasa, so they cannot live in bot/)."""
