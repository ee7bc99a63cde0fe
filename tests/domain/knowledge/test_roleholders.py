"""Role holders: register, unregister, who holds, vacant roles; validated municipalities."""

import pytest

from bot.domain.knowledge import InMemoryRoleHolderRepository, RoleHolderService, parse_role_holder


@pytest.fixture
def roles(service):
    return RoleHolderService(InMemoryRoleHolderRepository(), lambda: service.kb)


async def test_register_ask_and_unregister(roles, now):
    kw = {"user_id": "u1", "user_name": "Anna Jensen", "lang": "da", "now": now}
    answer = await roles.handle("Jeg er ØiR-koordinator i Odense", **kw)
    assert answer.lines == ("Tak! Du er nu registreret som ØiR-koordinator i Odense.",)
    answer = await roles.handle("Hvem er oir-koordinator i Odense Kommune?", **kw)
    assert answer.items == ("Anna Jensen (siden 24. marts 2021)",)
    vacant = await roles.handle("Hvilke roller er ubesatte i Odense?", **kw)
    assert "ØiR-koordinator" not in vacant.items
    assert "Organisationsadministrator" in vacant.items
    assert "Infrastrukturadministratorer" not in vacant.items  # a group name, not a role
    answer = await roles.handle("Jeg er ikke længere ØiR-koordinator i Odense", **kw)
    assert answer.lines == ("Du er ikke længere registreret som ØiR-koordinator i Odense.",)
    answer = await roles.handle("Hvem er ØiR-koordinator i Odense?", **kw)
    assert answer.items == () and "Ingen har registreret sig" in answer.lines[0]


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Københavns Kommune", "København"),
        ("Kobenhavn", "København"),
        ("Århus", "Aarhus"),
        ("Hoje-Taastrup", "Høje-Taastrup"),
        ("Bronderslev", "Brønderslev"),
        ("Laesoe", "Læsø"),
        ("Bornholms Regionskommune", "Bornholm"),
    ],
)
def test_municipality_spellings(service, spelling, canonical):
    intent = parse_role_holder(f"Hvem er superbruger i {spelling}?", service.kb)
    assert intent.municipality.name == canonical


async def test_english_and_unknowns(roles, now):
    kw = {"user_id": "u2", "user_name": "Bo", "lang": "en", "now": now}
    answer = await roles.handle("I am the security officer in Aarhus", **kw)
    assert answer.lines == ("Thanks! You are now registered as Sikkerhedsansvarlig in Aarhus.",)
    answer = await roles.handle("Who is the super user in Gotham?", **kw)
    assert "not one of the 98" in answer.lines[0]
    answer = await roles.handle("Jeg er superbrugr-koordinatr i Odense", **{**kw, "lang": "da"})
    assert "kender ikke rollen" in answer.lines[0]


async def test_other_sentences_are_not_role_holder_sentences(roles, now):
    kw = {"user_id": "u1", "user_name": "A", "lang": "da", "now": now}
    for text in ["Hvem er direktør i KOMBIT?", "Hvornår er webinaret?", "Hvem er ØiR-koordinator?"]:
        assert await roles.handle(text, **kw) is None


async def test_in_memory_repository_protocol(now):
    from bot.domain.knowledge import RoleHolder

    repo = InMemoryRoleHolderRepository()
    holder = RoleHolder("superbruger", "Odense", "u1", "A", now)
    await repo.add(holder)
    await repo.add(holder)  # idempotent per (role, municipality, user)
    assert await repo.find("superbruger", "Odense") == [holder]
    assert await repo.list_for("Odense") == [holder]
    assert await repo.remove("superbruger", "Odense", "u1")
    assert not await repo.remove("superbruger", "Odense", "u1")
