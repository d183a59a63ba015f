"""The sources screen in the reader's language: each quote translated into it (none for a quote written in it), headings too."""

from __future__ import annotations

from textual.widgets import Static

from roleplay.tui.screens.sources import SourcesScreen

from .conftest import press, settle

SIZE = (100, 40)


def shown(screen) -> str:
    return "\n".join(str(widget.render()) for widget in screen.query(Static))


async def test_the_sources_screen_in_polish_shows_the_polish_translations(make_app) -> None:
    app = make_app(language="pl")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "i")
        assert isinstance(app.screen, SourcesScreen)
        text = shown(app.screen)
        # A Croatian quote with its Polish translation, under its heading translated into Polish.
        assert "Korisni zaključci (“Przydatne wnioski”)" in text
        assert "punkt 7: “Držite svoja obećanja.”\nPo polsku: “Dotrzymuj obietnic.”" in text
        # An Estonian quote and a Latvian one, in Polish.
        assert "Po polsku: “Największy błąd, jaki można popełnić, to powiedzieć: „No, tak dokładnie to nie wiem”.”" in text
        assert "Klausieties (“Słuchaj”)" in text
        # A Polish article's quote stands alone for a Polish reader; nothing is left in English.
        assert "“Klienta nie interesują podwykonawcy, dostawcy czy księgowi.”\nCytują: " in text
        assert "In English" not in text and "Po angielsku" not in text and "Keep your promises." not in text
        borders = [panel.border_title for panel in app.screen.query(".sources-article")]
        assert borders == ["łotewski", "estoński", "chorwacki", "polski", "polski"]


async def test_switching_language_on_the_sources_screen_changes_the_translations(make_app) -> None:
    app = make_app(language="lv")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "i")
        text = shown(app.screen)
        assert "Latviski: “Turiet savus solījumus.”" in text
        assert "Klausieties\n" in text and "Klausieties (“" not in text
        await app.run_action("set_language('et')")
        await settle(pilot)
        assert isinstance(app.screen, SourcesScreen)
        text = shown(app.screen)
        assert "Eesti keeles: “Pidage oma lubadusi.”" in text and "Latviski" not in text
        assert "Klausieties (“Kuulake”)" in text
        assert app.screen.title == "Allikad: artiklid, millel reeglid põhinevad"


def test_the_sources_screen_in_polish_at_80x24(make_app, snap_compare) -> None:
    """A Latvian quote with its Polish translation under a heading translated into Polish, at 80x24."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        await press(pilot, "i")

    assert snap_compare(make_app(language="pl"), run_before=run_before, terminal_size=(80, 24))
