"""Thin rasa-sdk actions, one small module per feature. Rules live in bot/."""
