"""Capabilities: each one's Teams translation (turns, cards, dialogs' entry points, HTTP routes).

A capability registers its text commands, card verbs, dialogs and events with the TurnRouter
at start-up (app.py wires them); its rules live in bot/domain/<capability>/ and its
repository in storage/. The wire itself (endpoint, auth, outbound, codec) is bot/channel/.
"""
