"""What the bot says about reminders, in Danish and English."""

from __future__ import annotations

from bot.domain.language import Lang, Phrasebook

_EXAMPLES = {
    "da": "Skriv fx `påmind mig i morgen kl. 9 om at svare KMD`, `påmind mig om 20 minutter om "
    "pausen` eller `påmind kanalen hver mandag kl. 9 om ugens frister`.",
    "en": "Write e.g. `remind me tomorrow at 9 to answer KMD`, `remind me in 20 minutes to take "
    "a break` or `remind us every Monday at 9 to check the deadlines`.",
}

_TEXTS: dict[str, dict[Lang, str]] = {
    # Confirmations.
    "set.me": {
        "da": "Jeg minder dig om „{text}“ {when}.",
        "en": 'I will remind you about "{text}" {when}.',
    },
    "set.channel": {
        "da": "Jeg minder kanalen om „{text}“ {when}.",
        "en": 'I will remind this channel about "{text}" {when}.',
    },
    "set.chat": {
        "da": "Jeg minder chatten om „{text}“ {when}.",
        "en": 'I will remind this chat about "{text}" {when}.',
    },
    "when.once": {"da": "{moment}", "en": "on {moment}"},
    "when.relative": {"da": "om {span}, {moment}", "en": "in {span}, on {moment}"},
    "when.recurring": {
        "da": "{pattern}. Første gang: {moment}",
        "en": "{pattern}. First time: {moment}",
    },
    "note.default_time": {
        "da": "Du skrev ikke noget klokkeslæt, så jeg har valgt kl. {time}.",
        "en": "You gave no time of day, so I chose {time}.",
    },
    "note.shifted": {
        "da": "Det klokkeslæt findes ikke den dag (uret stilles frem), så påmindelsen kommer kl. "
        "{time}.",
        "en": "That time does not exist on that day (the clocks go forward), so the reminder "
        "comes at {time}.",
    },
    "note.private": {
        "da": "Den kommer i din private chat med mig.",
        "en": "It will arrive in your private chat with me.",
    },
    "note.manage": {
        "da": "Skriv `påmindelser` for at se eller slette dine påmindelser.",
        "en": "Write `reminders` to see or delete your reminders.",
    },
    "span.minutes": {"da": "{n} minutter", "en": "{n} minutes"},
    "span.minute": {"da": "1 minut", "en": "1 minute"},
    "span.hours": {"da": "{n} timer", "en": "{n} hours"},
    "span.hour": {"da": "1 time", "en": "1 hour"},
    "span.and": {"da": "{a} og {b}", "en": "{a} and {b}"},
    # Why a reminder could not be set (the domain's Reason values, and the Teams layer's own).
    "unrecognised": {
        "da": "Jeg forstod ikke, hvornår påmindelsen skal komme. " + _EXAMPLES["da"],
        "en": "I did not understand when the reminder should come. " + _EXAMPLES["en"],
    },
    "in_the_past": {
        "da": "Det tidspunkt er allerede passeret{day}. Vælg et senere tidspunkt, fx `i morgen "
        "kl. 9`.",
        "en": "That time has already passed{day}. Choose a later time, e.g. `tomorrow at 9`.",
    },
    "impossible_date": {
        "da": "Datoen „{detail}“ findes ikke. Tjek dag og måned.",
        "en": 'The date "{detail}" does not exist. Check the day and the month.',
    },
    "impossible_time": {
        "da": "Klokkeslættet „{detail}“ findes ikke. Skriv fx `kl. 9` eller `kl. 14.30`.",
        "en": 'The time "{detail}" does not exist. Write e.g. `at 9` or `at 14:30`.',
    },
    "conflicting_times": {
        "da": "Jeg fandt mere end ét tidspunkt{detail}. Skriv kun ét, fx `fredag kl. 12` eller "
        "`om 10 minutter`.",
        "en": "I found more than one time{detail}. Write just one, e.g. `Friday at 12` or "
        "`in 10 minutes`.",
    },
    "weekday_mismatch": {
        "da": "Den dato er {day} — det passer ikke med den ugedag, du skrev.",
        "en": "That date is {day}, which is not the weekday you wrote.",
    },
    "too_far": {
        "da": "Jeg kan højst sætte påmindelser {years} år frem.",
        "en": "I can set reminders at most {years} years ahead.",
    },
    "invalid_recurrence": {
        "da": "Den gentagelse forekommer aldrig. Skriv fx `hver mandag kl. 9` eller `den første "
        "tirsdag i hver måned kl. 10`.",
        "en": "That repetition never occurs. Write e.g. `every Monday at 9` or `the first "
        "Tuesday of every month at 10`.",
    },
    "text_too_long": {
        "da": "Teksten er for lang til en påmindelse: højst {limit} tegn.",
        "en": "The text is too long for a reminder: at most {limit} characters.",
    },
    "too_many": {
        "da": "Du har allerede {limit} kommende påmindelser. Skriv `påmindelser` og slet nogle "
        "først.",
        "en": "You already have {limit} upcoming reminders. Write `reminders` and delete some "
        "first.",
    },
    "no_sender": {
        "da": "Jeg kan ikke se, hvem du er, så jeg kan ikke sætte påmindelsen.",
        "en": "I cannot tell who you are, so I cannot set the reminder.",
    },
    # The dialog that asks for what is missing.
    "dialog.time": {
        "da": "Hvornår skal påmindelsen „{text}“ komme? Skriv fx `i morgen kl. 9`, `fredag kl. "
        "12`, `om 20 minutter` eller `hver mandag kl. 9`.",
        "en": 'When should the reminder "{text}" come? Write e.g. `tomorrow at 9`, `Friday at '
        "12`, `in 20 minutes` or `every Monday at 9`.",
    },
    "dialog.text": {
        "da": "Hvad skal påmindelsen sige?",
        "en": "What should the reminder say?",
    },
    "dialog.cancel_hint": {
        "da": "(Skriv `annuller` for at stoppe.)",
        "en": "(Write `cancel` to stop.)",
    },
    "dialog.failed": {
        "da": "Påmindelsen kunne ikke sættes. Prøv igen med `påmind mig …`.",
        "en": "The reminder could not be set. Try again with `remind me …`.",
    },
    # Listing and deleting.
    "list.personal": {"da": "Dine påmindelser", "en": "Your reminders"},
    "list.conversation": {
        "da": "Kommende påmindelser i denne samtale",
        "en": "Upcoming reminders in this conversation",
    },
    "list.none": {
        "da": "Der er ingen kommende påmindelser.",
        "en": "There are no upcoming reminders.",
    },
    "list.to_channel": {"da": "til samtalen", "en": "to the conversation"},
    "list.to_you": {"da": "til dig", "en": "to you"},
    "list.hint": {
        "da": "Slet en med `slet påmindelse <nummer>`.",
        "en": "Delete one with `delete reminder <number>`.",
    },
    "list.more": {
        "da": "… og {count} senere. De vises her, når nogle af de første er sendt eller slettet.",
        "en": "… and {count} later ones, shown here once some of the first are sent or deleted.",
    },
    "list.elsewhere": {
        "da": "Du har {count} personlige påmindelser mere; skriv `påmindelser` til mig i en privat "
        "chat for at se dem.",
        "en": "You have {count} more personal reminders; write `reminders` to me in a private "
        "chat to see them.",
    },
    "delete.done": {"da": "Slettet: „{text}“ ({when}).", "en": 'Deleted: "{text}" ({when}).'},
    "delete.series": {
        "da": "Slettet: „{text}“ ({when}). Der kommer ikke flere.",
        "en": 'Deleted: "{text}" ({when}). There will be no more.',
    },
    "delete.list_first": {
        "da": "Skriv `påmindelser` først, så du kan se numrene.",
        "en": "Write `reminders` first, so you can see the numbers.",
    },
    "delete.no_number": {
        "da": "Der er ingen påmindelse nr. {n} på den liste, du fik. Skriv `påmindelser` for at se "
        "numrene.",
        "en": "There is no reminder number {n} on the list you were shown. Write `reminders` to "
        "see the numbers.",
    },
    "delete.gone": {
        "da": "Påmindelse nr. {n} („{text}“) er allerede sendt eller slettet, så jeg har ikke "
        "slettet noget. Skriv `påmindelser` for at se listen, som den er nu.",
        "en": 'Reminder number {n} ("{text}") was already sent or deleted, so I deleted nothing. '
        "Write `reminders` to see the list as it is now.",
    },
    "delete.denied": {
        "da": "Kun den, der satte påmindelsen, eller en administrator kan slette den.",
        "en": "Only the person who set the reminder or an administrator can delete it.",
    },
    # The delivered card.
    "card.title": {"da": "Påmindelse", "en": "Reminder"},
    "card.late": {
        "da": "Forsinket: skulle være sendt kl. {time}",
        "en": "Late: should have been sent at {time}",
    },
    "card.late_day": {
        "da": "Forsinket: skulle være sendt {moment}",
        "en": "Late: should have been sent on {moment}",
    },
    "card.next": {"da": "Næste gang: {moment}", "en": "Next time: {moment}"},
    "card.set_by": {"da": "Sat af {name}", "en": "Set by {name}"},
    "card.snooze_10": {"da": "Udsæt 10 min", "en": "Snooze 10 min"},
    "card.snooze_60": {"da": "Udsæt 1 time", "en": "Snooze 1 hour"},
    "card.snooze_tomorrow": {"da": "I morgen kl. 9", "en": "Tomorrow at 9"},
    "card.done": {"da": "Færdig", "en": "Done"},
    "card.snoozed": {"da": "Udsat til {moment}", "en": "Snoozed until {moment}"},
    "card.snoozed_by": {
        "da": "Udsat til {moment} af {name}",
        "en": "Snoozed until {moment} by {name}",
    },
    "card.marked_done": {"da": "Færdig ✓", "en": "Done ✓"},
    "card.marked_done_by": {"da": "Færdig ✓ ({name})", "en": "Done ✓ ({name})"},
    # Answers to the card's buttons that change nothing.
    "action.unknown": {
        "da": "Den påmindelse findes ikke (længere).",
        "en": "That reminder does not exist (any more).",
    },
    "action.not_yours": {"da": "Det er ikke din påmindelse.", "en": "That is not your reminder."},
    "action.already_done": {
        "da": "Påmindelsen er allerede markeret som færdig.",
        "en": "The reminder is already marked as done.",
    },
    "action.already_resent": {
        "da": "Påmindelsen er allerede udsat og sendt igen; brug knapperne på den nyeste.",
        "en": "The reminder was already snoozed and sent again; use the buttons on the newest one.",
    },
    "action.bad_choice": {
        "da": "Den udsættelse kender jeg ikke. Brug knapperne på påmindelsen.",
        "en": "I do not know that snooze. Use the buttons on the reminder.",
    },
    # Help.
    "help.reminders": {
        "da": "**Påmindelser**: `påmind mig i morgen kl. 9 om at svare KMD`, `påmind kanalen 19/3 "
        "kl. 12 om …`, `påmind os hver mandag kl. 9 om …`; `påmindelser` viser dem, `slet "
        "påmindelse 2` sletter.",
        "en": "**Reminders**: `remind me tomorrow at 9 to answer KMD`, `remind the channel on 19/3 "
        "at 12 to …`, `remind us every Monday at 9 to …`; `reminders` lists them, `delete reminder "
        "2` deletes one.",
    },
}


_BOOK = Phrasebook(_TEXTS)
say = _BOOK.say
knows = _BOOK.knows
