"""What the bot says, in Danish and English; the one place to edit the bot's tone."""

from __future__ import annotations

from bot.domain.language import Lang, Phrasebook

_TEXTS: dict[str, dict[Lang, str]] = {
    "welcome.title": {"da": "Hej, jeg er Mødebot 👋", "en": "Hi, I'm Mødebot 👋"},
    "welcome.body": {
        "da": "Jeg hjælper med programledermøderne med KOMBIT: jeg svarer på spørgsmål om "
        "roller, datoer og kontakter, og jeg holder styr på, hvem der har hvilke roller i "
        "kommunerne. Alt bliver på jeres egen server.",
        "en": "I help with the programme-leader meetings with KOMBIT: I answer questions about "
        "roles, dates and contacts, and I keep track of who holds which role in each "
        "municipality. Everything stays on your own server.",
    },
    "welcome.channel_hint": {
        "da": "I en kanal: nævn mig med @Mødebot foran beskeden.",
        "en": "In a channel: mention me with @Mødebot before your message.",
    },
    "welcome.help_button": {"da": "Hvad kan du?", "en": "What can you do?"},
    "help.title": {"da": "Det kan jeg hjælpe med", "en": "What I can help with"},
    "help.questions": {
        "da": "**Spørgsmål** om roller, datoer, frister og hvem man skal kontakte.",
        "en": "**Questions** about roles, dates, deadlines and whom to contact.",
    },
    "help.roles": {
        "da": "**Roller i din kommune**: skriv fx „Jeg er ØiR-koordinator i Odense“, "
        "„Hvem er ØiR-koordinator i Odense?“ eller „Hvilke roller er ubesatte i Odense?“",
        "en": '**Roles in your municipality**: write e.g. "I am ØiR-koordinator in Odense", '
        '"Who is ØiR-koordinator in Odense?" or "Which roles are vacant in Odense?"',
    },
    "help.language": {
        "da": "**Sprog**: skriv `sprog` for at vælge dansk eller engelsk.",
        "en": "**Language**: type `language` to choose Danish or English.",
    },
    "help.examples": {"da": "Prøv for eksempel:", "en": "Try for example:"},
    "help.command": {"da": "hjælp", "en": "help"},
    "not_yet": {
        "da": "Det kan jeg desværre ikke svare på endnu. Skriv `hjælp` for at se, hvad jeg kan.",
        "en": "I can't answer that yet, sorry. Type `help` to see what I can do.",
    },
    "empty": {
        "da": "Skriv `hjælp` for at se, hvad jeg kan.",
        "en": "Type `help` to see what I can do.",
    },
    "error.turn": {
        "da": "Beklager, noget gik galt hos mig. Prøv igen om lidt.",
        "en": "Sorry, something went wrong on my side. Please try again shortly.",
    },
    "error.unknown_action": {
        "da": "Den knap virker ikke længere. Prøv at spørge igen.",
        "en": "That button no longer works. Please ask again.",
    },
    "language.ask": {
        "da": "Hvilket sprog vil du helst have svar på?",
        "en": "Which language would you like me to answer in?",
    },
    "language.retry": {"da": "Vælg dansk eller engelsk.", "en": "Please choose Danish or English."},
    "language.set.da": {
        "da": "Fint, jeg svarer dig på dansk.",
        "en": "Fint, jeg svarer dig på dansk.",
    },
    "language.set.en": {
        "da": "Fine, I'll answer you in English.",
        "en": "Fine, I'll answer you in English.",
    },
    "cancelled": {"da": "Okay, jeg har afbrudt.", "en": "Okay, cancelled."},
    "nothing_to_cancel": {
        "da": "Der er ikke noget at afbryde.",
        "en": "There is nothing to cancel.",
    },
}


_BOOK = Phrasebook(_TEXTS)
say = _BOOK.say


def help_examples(lang: Lang) -> list[str]:
    if lang == "en":
        return [
            "When is the KY webinar?",
            "Who do I contact about KP Basis?",
            "What does an ØiR coordinator do?",
        ]
    return [
        "Hvornår er webinaret om KY?",
        "Hvem skal jeg kontakte om KP Basis?",
        "Hvad laver en ØiR-koordinator?",
    ]
