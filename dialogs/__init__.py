"""Guided conversations (botbuilder-dialogs); their state lives in the database."""
