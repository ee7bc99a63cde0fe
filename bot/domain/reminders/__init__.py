"""Reminder rules: commands and times understood, recurrence, event plans, breakout groups."""
