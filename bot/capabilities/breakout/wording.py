"""What the bot says about breakout groups, in Danish and English."""

from __future__ import annotations

from bot.domain.language import Lang, Phrasebook

_EXAMPLE: dict[Lang, str] = {
    "da": "Skriv fx `grupper af 3 i 10 min: drøft jeres status`.",
    "en": "Write e.g. `groups of 3 for 10 min: discuss your status`.",
}

_TEXTS: dict[str, dict[Lang, str]] = {
    "help": {
        "da": "**grupper af 3 i 10 min** – deler deltagerne i tilfældige grupper (med en "
        "opgave efter et kolon, hvis I vil) og siger til, når tiden er gået.",
        "en": "**groups of 3 for 10 min** – splits the members into random groups (with a "
        "task after a colon, if you like) and says when the time is up.",
    },
    "title": {"da": "Grupper af {size}", "en": "Groups of {size}"},
    "timer": {
        "da": "{minutes} min, til kl. {until}",
        "en": "{minutes} min, until {until}",
    },
    "task": {"da": "Opgave: {task}", "en": "Task: {task}"},
    "group": {"da": "Gruppe {n}", "en": "Group {n}"},
    "time_up": {
        "da": "⏰ **Tiden er gået** – kom tilbage til fællesmødet.",
        "en": "⏰ **Time's up** – please come back to the main session.",
    },
    "time_up_task": {
        "da": "⏰ **Tiden er gået** – kom tilbage til fællesmødet. Opgaven var: {task}",
        "en": "⏰ **Time's up** – please come back to the main session. The task was: {task}",
    },
    "personal": {
        "da": "Grupper kræver flere deltagere: skriv kommandoen i et møde eller en gruppechat, "
        "hvor jeg er med.",
        "en": "Groups need more people: write the command in a meeting or a group chat I "
        "am part of.",
    },
    "invalid_group_size": {
        "da": "En gruppe skal være på mindst 2 og højst 50 personer. " + _EXAMPLE["da"],
        "en": "A group must have at least 2 and at most 50 people. " + _EXAMPLE["en"],
    },
    "invalid_duration": {
        "da": "Tiden skal være mellem 1 minut og 8 timer ({detail} gik ikke). " + _EXAMPLE["da"],
        "en": "The time must be between 1 minute and 8 hours ({detail} would not do). "
        + _EXAMPLE["en"],
    },
    "too_few_members": {
        "da": "Der er kun {count} deltager(e) ud over mig – for få til grupper.",
        "en": "There are only {count} member(s) besides me – too few for groups.",
    },
    "one_group": {
        "da": "Med {count} deltagere bliver det kun én gruppe af {size}. Vælg en mindre "
        "gruppestørrelse.",
        "en": "With {count} members that makes only one group of {size}. Choose a smaller "
        "group size.",
    },
    "one_group_pairs": {
        "da": "Med {count} deltagere bliver det kun én gruppe – I kan lige så godt blive sammen.",
        "en": "With {count} members that makes only one group – you may as well stay together.",
    },
    "too_many_members": {
        "da": "Der er {count} deltagere; jeg kan højst dele {limit} i grupper i én besked.",
        "en": "There are {count} members; I can split at most {limit} into groups in one message.",
    },
    "members_unavailable": {
        "da": "Jeg kunne ikke hente deltagerlisten fra Teams lige nu. Prøv igen om lidt.",
        "en": "I could not get the member list from Teams just now. Please try again shortly.",
    },
}


_BOOK = Phrasebook(_TEXTS)
say = _BOOK.say
