"""The results page for the meeting screen: its data, its HTML, its live updates, its assets."""
