"""How big a poll may be: the bounds a Teams card shows well, checked when a poll is made."""

from __future__ import annotations

# A question is a sentence or two; 300 characters fill about four lines of a card's title.
MAX_QUESTION_CHARS = 300
# An option is a button or a choice-set row: 100 characters still fit on two lines.
MAX_OPTION_CHARS = 100
# A Likert statement is a full sentence ("Programledermødet understøtter mig i ...").
MAX_STATEMENT_CHARS = 200
MIN_OPTIONS = 2
MAX_OPTIONS = 20
# Ten statements already make a long card; the meeting evaluation has five.
MAX_STATEMENTS = 10
# An open answer is a paragraph, not a document.
MAX_OPEN_ANSWER_CHARS = 1000
# Scale polls ("temperaturmåling") run from 1 to 10.
SCALE_MIN = 1
SCALE_MAX = 10
# Auto-close no later than a week ahead: a meeting poll, not a survey.
MAX_CLOSE_MINUTES = 7 * 24 * 60
# In anonymous polls the distribution is withheld below this many respondents.
DEFAULT_ANONYMITY_THRESHOLD = 3
