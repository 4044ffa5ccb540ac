"""The domain core of the Section 117 aftercare assistant.

Plain Python only: nothing here imports rasa, rasa_sdk or fastapi (tests/unit/test_bot_is_plain.py
enforces that), so the rules can be tested and reused without the dialogue engine.
"""
