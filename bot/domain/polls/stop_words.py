"""Danish and English stop words, left out of an open question's most frequent words."""

from __future__ import annotations

DANISH = frozenset(
    """
    ad af aldrig alle alt altid andet andre at bare begge blev blive bliver da de dem den
    denne dens der deres derfor det dette dig din dine disse dit dog du efter eller en end
    endnu er et ét fik fordi fra få får god godt ham han hans har havde have hende hendes her
    hos hun hvad hvem hver hvilke hvilken hvis hvor hvordan hvorfor hvornår i ikke ind ingen
    intet ja jeg jer jeres jo kan kom komme kommer kun kunne lidt lige man mange med meget
    men mere mest mig min mine mit mod må måske nej nogen noget nogle nok nu når og også om
    op os over på sa sådan selv sig sin sine sit skal skulle som stadig så sådan til ud uden
    under vi var ved vil ville vores være været år
    """.split()
)

ENGLISH = frozenset(
    """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also get got ok okay yes don't it's i'm we're can't isn't
    """.split()
)

STOP_WORDS = DANISH | ENGLISH
