"""What the progress screen shows, computed from the record: results, plays over time, habits and their trend, what next."""

from __future__ import annotations

from datetime import date

from roleplay.play.learning import (
    BETTER,
    RECENT_PLAYS,
    STEADY,
    WORSE,
    article_tallies,
    plays_per_week,
    story_results,
    suggestion,
    tactic_tallies,
)
from roleplay.play.library import load_catalog
from roleplay.play.plays import PlayRecord
from roleplay.rules.rulebook import default_rulebook

RULEBOOK = default_rulebook()
POLISH = "003_4f22e2007cc1978f.txt"  # make_excuses (warned), thank_customer (recommended)
LATVIAN = "000_445a3fd0440ef997.txt"  # apologize, empathize (recommended), interrupt (warned)


def play(
    day: str, story: str = "a.yaml", outcome: str = "stays", tactics: tuple[tuple[str, ...], ...] = (), title: str = "A"
) -> PlayRecord:
    return PlayRecord(
        story=story,
        title=title,
        outcome=outcome,
        mood=50,
        loyalty=50,
        walked_out=False,
        picks=tuple(1 for _ in tactics) or (1,),
        coached=True,
        finished_at=f"{day}T10:00:00+00:00",
        id=f"id-{day}-{story}",
        tactics=tactics,
    )


def test_best_and_last_outcome_per_story() -> None:
    plays = [
        play("2026-11-01", "a.yaml", "leaves_complains"),
        play("2026-11-02", "a.yaml", "recommends"),
        play("2026-11-03", "a.yaml", "stays"),
        play("2026-11-04", "b.yaml", "leaves_quietly", title="B"),
    ]
    results = story_results(plays, RULEBOOK)
    assert [(r.story, r.plays, r.best.outcome, r.last.outcome) for r in results] == [
        ("a.yaml", 3, "recommends", "stays"),
        ("b.yaml", 1, "leaves_quietly", "leaves_quietly"),
    ]


def test_plays_per_week_for_the_chart() -> None:
    plays = [play("2026-11-23"), play("2026-11-26"), play("2026-11-16"), play("2026-06-01")]
    weeks = plays_per_week(plays, today=date(2026, 11, 27), weeks=3)
    assert weeks == [(date(2026, 11, 9), 0), (date(2026, 11, 16), 1), (date(2026, 11, 23), 2)]


def test_warned_against_and_recommended_picks_per_article_with_the_trend() -> None:
    early = [play(f"2026-11-0{n}", tactics=(("make_excuses",), ("make_excuses",), ("thank_customer",))) for n in range(1, 4)]
    late = [play(f"2026-11-1{n}", tactics=(("thank_customer",), ("apologize", "empathize"))) for n in range(RECENT_PLAYS)]
    tallies = {t.key: t for t in article_tallies(early + late, RULEBOOK)}
    polish = tallies[POLISH]
    assert (polish.recommended, polish.warned) == (3 + RECENT_PLAYS, 6)
    assert polish.trend == BETTER  # 2 of 3 warned-against before, none lately
    latvian = tallies[LATVIAN]
    assert (latvian.recommended, latvian.warned, latvian.trend) == (2 * RECENT_PLAYS, 0, None)  # nothing before to compare
    # and the other way round
    worse = {
        t.key: t
        for t in article_tallies(
            late[:3] + [play(f"2026-11-2{n}", tactics=(("make_excuses",),)) for n in range(RECENT_PLAYS)], RULEBOOK
        )
    }
    assert worse[POLISH].trend == WORSE
    # situational tactics (make_promise) count for neither side
    assert article_tallies([play("2026-11-01", tactics=(("make_promise",),))], RULEBOOK) == []


def test_picks_per_tactic_with_the_trend() -> None:
    early = [play(f"2026-11-0{n}", tactics=(("make_excuses",), ("thank_customer",))) for n in range(1, 4)]
    late = [play(f"2026-11-1{n}", tactics=(("thank_customer",), ("thank_customer",))) for n in range(RECENT_PLAYS)]
    tallies = {t.key: t for t in tactic_tallies(early + late, RULEBOOK)}
    assert (tallies["thank_customer"].recommended, tallies["thank_customer"].trend) == (3 + 2 * RECENT_PLAYS, BETTER)
    assert (tallies["make_excuses"].warned, tallies["make_excuses"].trend) == (3, BETTER)  # picked less: better
    assert next(t.key for t in tactic_tallies(early + late, RULEBOOK)) == "thank_customer"
    steady = tactic_tallies([play(f"2026-11-{10 + n}", tactics=(("thank_customer",),)) for n in range(8)], RULEBOOK)
    assert steady[0].trend == STEADY


def test_the_suggestion_is_the_weakest_article_and_a_story_that_trains_it() -> None:
    catalog = [(entry.path, entry.story) for entry in load_catalog() if entry.story is not None]
    plays = [
        play("2026-11-01", tactics=(("make_excuses",), ("make_excuses",), ("thank_customer",))),
        play("2026-11-02", tactics=(("interrupt",), ("apologize",), ("empathize",), ("listen",))),
    ]
    advice = suggestion(plays, RULEBOOK, catalog)
    assert advice is not None and advice.article == POLISH
    assert advice.reason == "2 of your 3 picks drawing on it were replies it warns against"
    assert advice.article_label == "How to deal with a difficult customer (Polish)"
    from roleplay.play.learning import articles_of

    trains = {path.name for path, story in catalog if POLISH in articles_of(story, RULEBOOK)}
    assert advice.story_path is not None and advice.story_path.name in trains


def test_a_played_story_gives_way_to_one_not_played_yet() -> None:
    catalog = [(entry.path, entry.story) for entry in load_catalog() if entry.story is not None]
    first = suggestion([play("2026-11-01", tactics=(("make_excuses",),))], RULEBOOK, catalog)
    assert first is not None and first.story_path is not None
    played = play("2026-11-02", story=first.story_path.name, outcome="recommends", tactics=(("make_excuses",),))
    second = suggestion([played], RULEBOOK, catalog)
    assert second is not None and second.article == first.article and second.story_path != first.story_path


def test_with_no_plays_the_suggestion_is_an_article_not_practised_yet() -> None:
    advice = suggestion([], RULEBOOK, [])
    assert advice is not None and advice.reason == "you have not practised it yet"
    assert advice.article == sorted(RULEBOOK.articles)[0] and advice.story_path is None
