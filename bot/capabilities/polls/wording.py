"""What the bot says about polls, in Danish and English."""

from __future__ import annotations

from bot.domain.language import Lang, Phrasebook

_EXAMPLE = {
    "da": 'Skriv fx `afstemning "Har din kommune svaret KMD?" "Ja" "Nej" "Ved ikke"`.',
    "en": 'Write e.g. `poll "Has your municipality answered KMD?" "Yes" "No" "Don\'t know"`.',
}

_TEXTS: dict[str, dict[Lang, str]] = {
    # Why a poll cannot be made as written (PollCommandReason values).
    "no_question": {
        "da": "Hvad skal afstemningen spørge om? Sæt spørgsmålet i anførselstegn. "
        + _EXAMPLE["da"],
        "en": "What should the poll ask? Put the question in quotes. " + _EXAMPLE["en"],
    },
    "empty_question": {
        "da": "Spørgsmålet er tomt. " + _EXAMPLE["da"],
        "en": "The question is empty. " + _EXAMPLE["en"],
    },
    "question_too_long": {
        "da": "Spørgsmålet er for langt til et kort: højst {limit} tegn.",
        "en": "The question is too long for a card: at most {limit} characters.",
    },
    "one_option": {
        "da": "En afstemning skal have mindst to svarmuligheder. " + _EXAMPLE["da"],
        "en": "A poll needs at least two options. " + _EXAMPLE["en"],
    },
    "too_many_options": {
        "da": "Højst {limit} svarmuligheder i en afstemning.",
        "en": "At most {limit} options in a poll.",
    },
    "empty_option": {
        "da": "En af svarmulighederne er tom.",
        "en": "One of the options is empty.",
    },
    "option_too_long": {
        "da": "Svarmuligheden „{detail}…“ er for lang: højst {limit} tegn.",
        "en": 'The option "{detail}…" is too long: at most {limit} characters.',
    },
    "duplicate_options": {
        "da": "Svarmuligheden „{detail}“ står der to gange.",
        "en": 'The option "{detail}" is there twice.',
    },
    "too_many_statements": {
        "da": "Højst {limit} udsagn i en evaluering.",
        "en": "At most {limit} statements in an evaluation.",
    },
    "statement_too_long": {
        "da": "Udsagnet „{detail}…“ er for langt: højst {limit} tegn.",
        "en": 'The statement "{detail}…" is too long: at most {limit} characters.',
    },
    "duplicate_statements": {
        "da": "Et udsagn står der to gange.",
        "en": "A statement is there twice.",
    },
    "unexpected_options": {
        "da": "Den slags afstemning har ikke egne svarmuligheder („{detail}“).",
        "en": 'That kind of poll has no options of its own ("{detail}").',
    },
    "option_not_applicable": {
        "da": "„{detail}“ passer ikke til den slags afstemning.",
        "en": '"{detail}" does not fit that kind of poll.',
    },
    "unquoted_text": {
        "da": "Jeg forstod ikke „{detail}“. Sæt spørgsmål og svarmuligheder i anførselstegn. "
        + _EXAMPLE["da"],
        "en": 'I did not understand "{detail}". Put the question and the options in quotes. '
        + _EXAMPLE["en"],
    },
    "unbalanced_quotes": {
        "da": "Et anførselstegn ({detail}) bliver aldrig lukket.",
        "en": "A quote ({detail}) is never closed.",
    },
    "close_time_invalid": {
        "da": "Lukketiden forstod jeg ikke. Skriv fx `luk om 10 min` eller `luk kl. 14.30`.",
        "en": "I did not understand the closing time. Write e.g. `close in 10 min` or "
        "`close at 14:30`.",
    },
    "close_time_in_past": {
        "da": "Det tidspunkt er allerede passeret i dag. Vælg et senere lukketidspunkt.",
        "en": "That time has already passed today. Choose a later closing time.",
    },
    "close_time_too_far": {
        "da": "En afstemning kan højst være åben en uge.",
        "en": "A poll can be open for at most a week.",
    },
    "unknown_template": {
        "da": "Jeg kender ingen skabelon, der hedder „{detail}“. Skriv `evaluering` for "
        "mødeevalueringen.",
        "en": 'I know no template called "{detail}". Write `evaluation` for the meeting '
        "evaluation.",
    },
    # Votes and their refusals (BallotRefusal values and the Teams layer's own).
    "voted": {
        "da": "Du har stemt: {answer} — du kan ændre det, indtil afstemningen lukker.",
        "en": "You voted: {answer} — you can change it until the poll closes.",
    },
    "vote.unknown_poll": {
        "da": "Den afstemning findes ikke (længere).",
        "en": "That poll does not exist (any more).",
    },
    "vote.closed": {
        "da": "Afstemningen er lukket; dit svar blev ikke registreret.",
        "en": "The poll is closed; your answer was not recorded.",
    },
    "vote.invalid": {
        "da": "Det svar kan jeg ikke registrere. Vælg en af mulighederne på kortet.",
        "en": "I cannot record that answer. Choose one of the options on the card.",
    },
    "vote.empty": {
        "da": "Du har ikke valgt noget endnu.",
        "en": "You have not chosen anything yet.",
    },
    "vote.too_long": {
        "da": "Svaret er for langt: højst {limit} tegn.",
        "en": "The answer is too long: at most {limit} characters.",
    },
    "vote.no_voter": {
        "da": "Jeg kan ikke se, hvem du er, så svaret blev ikke registreret.",
        "en": "I cannot tell who you are, so the answer was not recorded.",
    },
    # Closing and permissions.
    "close.denied": {
        "da": "Kun den, der oprettede afstemningen, eller en administrator kan lukke den.",
        "en": "Only the person who created the poll or an administrator can close it.",
    },
    "export.denied": {
        "da": "Kun den, der oprettede afstemningen, eller en administrator kan hente svarene.",
        "en": "Only the person who created the poll or an administrator can export it.",
    },
    "close.already": {
        "da": "Afstemningen er allerede lukket.",
        "en": "The poll is already closed.",
    },
    "close.none_open": {
        "da": "Der er ingen åben afstemning i samtalen.",
        "en": "There is no open poll in this conversation.",
    },
    "close.which": {
        "da": "Der er flere åbne afstemninger. Skriv `luk afstemning <nummer>` "
        "— se `afstemninger`.",
        "en": "There are several open polls. Write `close poll <number>` — see `polls`.",
    },
    "closed.title": {"da": "Resultat: {question}", "en": "Results: {question}"},
    "closed.private_note": {
        "da": "Afstemningen var sat til, at kun den, der oprettede den, ser resultatet: "
        "det er kun sendt til dig.",
        "en": "The poll was set so that only the person who created it sees the results: "
        "they were sent to you alone.",
    },
    "closed.sent_to_creator": {
        "da": "Afstemningen „{question}“ er lukket · {respondents}. Resultatet er sendt "
        "privat til {creator}.",
        "en": 'The poll "{question}" is closed · {respondents}. The results were sent '
        "privately to {creator}.",
    },
    "closed.not_sent_to_creator": {
        "da": "Afstemningen „{question}“ er lukket · {respondents}. Resultatet er kun for "
        "{creator}, men jeg kunne ikke skrive privat til vedkommende, så det vises ikke her. "
        "{creator} kan se det via *Resultatside* på afstemningen.",
        "en": 'The poll "{question}" is closed · {respondents}. The results are for {creator} '
        "only, but I could not write to them privately, so they are not shown here. "
        "{creator} can see them through *Results page* on the poll.",
    },
    "creator.someone": {"da": "den, der oprettede den", "en": "the person who created it"},
    "closed.by_time": {
        "da": "Afstemningen lukkede kl. {time}.",
        "en": "The poll closed at {time}.",
    },
    # Listing.
    "list.none": {
        "da": "Der er ingen åbne afstemninger i samtalen.",
        "en": "There are no open polls in this conversation.",
    },
    "list.title": {"da": "Åbne afstemninger", "en": "Open polls"},
    "list.hidden": {"da": "resultat ved lukning", "en": "results when closed"},
    "list.creator": {"da": "resultat kun til opretteren", "en": "results for the creator only"},
    # Deleting.
    "delete.denied": {
        "da": "Kun den, der oprettede afstemningen, eller en administrator kan slette den.",
        "en": "Only the person who created the poll or an administrator can delete it.",
    },
    "delete.none": {
        "da": "Der er ingen afstemning i samtalen at slette.",
        "en": "There is no poll in this conversation to delete.",
    },
    "delete.which": {
        "da": "Der er flere åbne afstemninger. Skriv `slet afstemning <nummer>` — se "
        "`afstemninger` — eller `slet afstemning seneste` for den senest oprettede.",
        "en": "There are several open polls. Write `delete poll <number>` — see `polls` — "
        "or `delete poll latest` for the one created last.",
    },
    "delete.no_number": {
        "da": "Der er ingen åben afstemning nummer {number} — se `afstemninger`. En lukket "
        "afstemning sletter du med `slet afstemning seneste`.",
        "en": "There is no open poll number {number} — see `polls`. Delete a closed poll "
        "with `delete poll latest`.",
    },
    "delete.confirm_title": {
        "da": "Slet afstemningen „{question}“?",
        "en": 'Delete the poll "{question}"?',
    },
    "delete.confirm_text": {
        "da": "Afstemningen og alle svar ({respondents}) slettes for altid. Det kan ikke "
        "fortrydes bagefter.",
        "en": "The poll and all its answers ({respondents}) are deleted for good. This "
        "cannot be undone afterwards.",
    },
    "delete.confirm_closed": {
        "da": "Resultatbeskeden, der allerede er sendt, bliver stående.",
        "en": "The results message already sent stays where it is.",
    },
    "delete.asked_by": {
        "da": "Spurgt af {name}; kun opretteren eller en administrator kan bekræfte.",
        "en": "Asked by {name}; only the creator or an administrator can confirm.",
    },
    "delete.yes": {"da": "Slet", "en": "Delete"},
    "delete.no": {"da": "Fortryd", "en": "Cancel"},
    "delete.done": {
        "da": "Afstemningen er slettet, med alle dens svar.",
        "en": "The poll was deleted, with all its answers.",
    },
    "delete.cancelled": {
        "da": "Sletningen er fortrudt; afstemningen er der stadig.",
        "en": "The deletion was cancelled; the poll is still there.",
    },
    "delete.gone": {
        "da": "Den afstemning er allerede slettet eller findes ikke.",
        "en": "That poll is already deleted or does not exist.",
    },
    "delete.stale": {
        "da": "Den bekræftelse er for gammel eller ikke gyldig. Skriv `slet afstemning` igen.",
        "en": "That confirmation is too old or not valid. Write `delete poll` again.",
    },
    "card.deleted_title": {"da": "Afstemningen er slettet", "en": "The poll was deleted"},
    "card.deleted": {
        "da": "Den, der oprettede afstemningen, eller en administrator har slettet den med "
        "alle svar.",
        "en": "The person who created the poll or an administrator deleted it with all its "
        "answers.",
    },
    # Cards.
    "card.vote": {"da": "Stem", "en": "Vote"},
    "card.send": {"da": "Send svar", "en": "Send answer"},
    "card.close": {"da": "Luk afstemning", "en": "Close poll"},
    "card.results_link": {"da": "Resultatside", "en": "Results page"},
    "card.export": {"da": "Hent svar (CSV/XLSX)", "en": "Export answers (CSV/XLSX)"},
    "card.anonymous": {"da": "Anonym", "en": "Anonymous"},
    "card.named": {"da": "Navngivet — dit navn gemmes", "en": "Named — your name is stored"},
    "card.multiple": {"da": "Vælg gerne flere", "en": "You may choose several"},
    "card.hidden": {
        "da": "Resultatet vises, når afstemningen lukker",
        "en": "Results are shown when the poll closes",
    },
    "card.creator_only": {
        "da": "Kun den, der oprettede afstemningen, ser resultatet",
        "en": "Only the person who created the poll sees the results",
    },
    "card.closes": {"da": "Lukker {when}", "en": "Closes {when}"},
    "card.closed": {"da": "Afstemningen er lukket", "en": "The poll is closed"},
    "card.respondents": {"da": "{count} har svaret", "en": "{count} answered"},
    "card.respondents_one": {"da": "1 har svaret", "en": "1 answered"},
    "card.threshold": {
        "da": "Fordelingen vises, når mindst {threshold} har svaret",
        "en": "The distribution is shown once at least {threshold} have answered",
    },
    "card.scale_low": {"da": "1 = lav", "en": "1 = low"},
    "card.scale_high": {"da": "10 = høj", "en": "10 = high"},
    "card.open_placeholder": {"da": "Skriv dit svar", "en": "Write your answer"},
    "card.optional": {"da": "Spring gerne udsagn over", "en": "You may skip statements"},
    "card.mean": {"da": "gennemsnit {mean}", "en": "mean {mean}"},
    "card.median": {"da": "median {median}", "en": "median {median}"},
    "card.top_words": {"da": "Hyppigste ord: {words}", "en": "Most frequent words: {words}"},
    "card.trend": {"da": "Udvikling over møderne", "en": "Trend over the meetings"},
    "card.no_answers": {"da": "Ingen har svaret endnu", "en": "Nobody has answered yet"},
    # Links sent privately.
    "link.results": {
        "da": "Resultatsiden til mødeskærmen (gælder til {until}): {url}",
        "en": "The results page for the meeting screen (valid until {until}): {url}",
    },
    "link.export": {
        "da": "Svarene som CSV: {csv}\nSom Excel (XLSX): {xlsx}\nLinkene gælder til {until}.",
        "en": "The answers as CSV: {csv}\nAs Excel (XLSX): {xlsx}\nThe links are valid until "
        "{until}.",
    },
    "link.sent": {
        "da": "Jeg har sendt dig linket i vores private chat.",
        "en": "I sent you the link in our private chat.",
    },
    "link.not_sent": {
        "da": "Jeg kunne ikke skrive til dig privat, og linket hører ikke hjemme her i "
        "gruppen. Skriv til mig i en privat chat, og tryk på knappen igen.",
        "en": "I could not write to you privately, and the link does not belong in the "
        "group. Open a private chat with me and press the button again.",
    },
    # Meetings.
    "meetings.on": {
        "da": "Når et møde i denne chat slutter, sender jeg mødeevalueringen her.",
        "en": "When a meeting in this chat ends, I will post the meeting evaluation here.",
    },
    "meetings.off": {
        "da": "Jeg sender ikke længere mødeevalueringen, når et møde slutter.",
        "en": "I will no longer post the meeting evaluation when a meeting ends.",
    },
    "meetings.which": {
        "da": "Skriv `evaluering efter møder til` eller `evaluering efter møder fra`.",
        "en": "Write `evaluation after meetings on` or `evaluation after meetings off`.",
    },
    # The guided dialog.
    "dialog.question": {
        "da": "Hvad skal afstemningen spørge om?",
        "en": "What should the poll ask?",
    },
    "dialog.options": {
        "da": "Hvilke svarmuligheder? Skriv dem i anførselstegn, én pr. linje eller adskilt af "
        "komma (mindst 2).",
        "en": "Which options? Write them in quotes, one per line or separated by commas "
        "(at least 2).",
    },
    "dialog.statements": {
        "da": "Hvilke udsagn skal man tage stilling til? Én pr. linje eller i anførselstegn.",
        "en": "Which statements should people rate? One per line or in quotes.",
    },
    "dialog.cancel_hint": {
        "da": "(Skriv `annuller` for at stoppe.)",
        "en": "(Write `cancel` to stop.)",
    },
    "dialog.failed": {
        "da": "Afstemningen kunne ikke oprettes. Prøv igen med `afstemning`.",
        "en": "The poll could not be created. Try again with `poll`.",
    },
    # Help.
    "help.polls": {
        "da": '**Afstemninger**: `afstemning "Spørgsmål?" "Ja" "Nej"`, `skala "…"`, '
        '`åbent "…"`, `evaluering`; tilføj `flere`, `navngivet`, `skjult` (resultat ved '
        "lukning), `privat` (resultat kun til dig) eller `luk om 10 min`. `afstemninger` "
        "viser de åbne; `luk afstemning` og `slet afstemning` lukker og sletter.",
        "en": '**Polls**: `poll "Question?" "Yes" "No"`, `scale "…"`, `open "…"`, '
        "`evaluation`; add `multiple`, `named`, `hidden` (results when closed), `private` "
        "(results for you only) or `close in 10 min`. `polls` lists the open ones; "
        "`close poll` and `delete poll` close and delete.",
    },
}


def command_error_text(reason: str, lang: Lang, *, detail: str, limit: int | None) -> str:
    """Why a poll cannot be made, with the offending text shown literally and shortened."""
    from bot.channel.card_text import literal

    shown = literal(detail)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return say(reason, lang, detail=shown, limit=limit or "")


_BOOK = Phrasebook(_TEXTS)
say = _BOOK.say
knows = _BOOK.knows
