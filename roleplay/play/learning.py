"""What the record says about the learner: results per story, plays over time, habits per article and tactic, what to practise next.

Pure Python over :class:`~roleplay.play.plays.PlayRecord` values and the
rulebook; the progress screen shows it and the tests check it. A reply counts
for an article through its tactics: each tactic cites one article and is
recommended, situational or warned against (the rulebook's ``kind``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from roleplay.i18n import _, ngettext
from roleplay.play.plays import PlayRecord
from roleplay.rules.rulebook import RECOMMENDED, WARNED, Rulebook, Tactic
from roleplay.story.model import Story

RECENT_PLAYS = 5
"""The trend compares the last this many plays (with known replies) against the ones before."""
TREND_MARGIN = 0.1
"""A change in the share of warned-against picks smaller than this is 'steady'."""
WEEKS_CHARTED = 12
EVIDENCE = 2
"""Picks added to an article's total when choosing the weakest, so one bad pick does not outweigh many."""

BETTER, WORSE, STEADY = "better", "worse", "steady"


@dataclass(frozen=True)
class StoryResult:
    """A story's best and last outcome."""

    story: str
    """The story's file name."""
    title: str
    plays: int
    best: PlayRecord
    last: PlayRecord


@dataclass(frozen=True)
class Tally:
    """How often the learner's replies used recommended and warned-against tactics, and the trend."""

    key: str
    """An article's file name or a tactic's id."""
    label: str
    recommended: int
    warned: int
    trend: str | None
    """'better' (fewer warned-against picks lately), 'worse', 'steady', or None with too few plays to tell."""

    @property
    def warned_share(self) -> float:
        total = self.recommended + self.warned
        return self.warned / total if total else 0.0


@dataclass(frozen=True)
class Suggestion:
    """What to practise next: the weakest article and a story that trains it."""

    article: str
    article_label: str
    reason: str
    story_path: Path | None
    story_title: str | None


def _ranks(rulebook: Rulebook) -> dict[str, int]:
    return {outcome.id: rulebook.outcome_rank(outcome.id) for outcome in rulebook.outcomes}


def story_results(plays: Sequence[PlayRecord], rulebook: Rulebook) -> list[StoryResult]:
    """For each story played, the best outcome (the latest of equals) and the last; by title."""
    ranks = _ranks(rulebook)
    grouped: dict[str, list[PlayRecord]] = {}
    for play in sorted(plays, key=lambda p: p.finished_at):
        grouped.setdefault(play.story, []).append(play)
    results = []
    for story, played in grouped.items():
        best = played[0]
        for play in played:
            if ranks.get(play.outcome, -1) >= ranks.get(best.outcome, -1):
                best = play
        results.append(StoryResult(story, played[-1].title, len(played), best, played[-1]))
    return sorted(results, key=lambda r: (r.title.casefold(), r.story))


def _day(play: PlayRecord) -> date | None:
    try:
        return datetime.fromisoformat(play.finished_at).astimezone(UTC).date()
    except ValueError:
        return None


def plays_per_week(plays: Sequence[PlayRecord], today: date, weeks: int = WEEKS_CHARTED) -> list[tuple[date, int]]:
    """Plays in each of the last ``weeks`` weeks (Monday to Sunday), oldest first, each with its Monday."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = [this_monday - timedelta(weeks=weeks - 1 - n) for n in range(weeks)]
    counts = dict.fromkeys(mondays, 0)
    for play in plays:
        day = _day(play)
        if day is None:
            continue
        monday = day - timedelta(days=day.weekday())
        if monday in counts:
            counts[monday] += 1
    return list(counts.items())


def _picks_by_play(plays: Sequence[PlayRecord]) -> list[PlayRecord]:
    """The plays whose replies' tactics are known, oldest first."""
    return [play for play in sorted(plays, key=lambda p: p.finished_at) if play.tactics]


def _graded_uses(known: Sequence[PlayRecord], rulebook: Rulebook) -> Iterator[tuple[int, Tactic]]:
    """Each use of a tactic the articles recommend or warn against, with the position of its play."""
    for position, play in enumerate(known):
        for reply in play.tactics:
            for name in reply:
                tactic = rulebook.tactics.get(name)
                if tactic is not None and tactic.kind in (RECOMMENDED, WARNED):
                    yield position, tactic


def _trend(before: tuple[int, int], recent: tuple[int, int]) -> str | None:
    """From (recommended, warned) before and lately: better, worse, steady, or None."""
    if sum(before) == 0 or sum(recent) == 0:
        return None
    change = recent[1] / sum(recent) - before[1] / sum(before)
    if change <= -TREND_MARGIN:
        return BETTER
    if change >= TREND_MARGIN:
        return WORSE
    return STEADY


def _tally(
    plays: Sequence[PlayRecord], rulebook: Rulebook, key_of: Callable[[Tactic], str]
) -> dict[str, tuple[list[int], list[int]]]:
    """For each key, [recommended, warned] over all plays and over the plays before the recent ones."""
    known = _picks_by_play(plays)
    split = max(0, len(known) - RECENT_PLAYS)
    counts: dict[str, tuple[list[int], list[int]]] = {}
    for position, tactic in _graded_uses(known, rulebook):
        column = 0 if tactic.kind == RECOMMENDED else 1
        total, before = counts.setdefault(key_of(tactic), ([0, 0], [0, 0]))
        total[column] += 1
        if position < split:
            before[column] += 1
    return counts


def _tallies(counts: dict[str, tuple[list[int], list[int]]], label_of: Callable[[str], str]) -> list[Tally]:
    tallies = []
    for key, (total, before) in counts.items():
        recent = (total[0] - before[0], total[1] - before[1])
        tallies.append(Tally(key, label_of(key), total[0], total[1], _trend((before[0], before[1]), recent)))
    return tallies


def article_label(rulebook: Rulebook, article: str) -> str:
    known = rulebook.articles.get(article)
    return f"{known.title} ({known.language})" if known else article


def article_tallies(plays: Sequence[PlayRecord], rulebook: Rulebook) -> list[Tally]:
    """Per article, the recommended and warned-against tactics picked; most warned-against share first."""
    counts = _tally(plays, rulebook, lambda tactic: tactic.source.article)
    tallies = _tallies(counts, lambda key: article_label(rulebook, key))
    return sorted(tallies, key=lambda t: (-t.warned_share, t.key))


def tactic_tallies(plays: Sequence[PlayRecord], rulebook: Rulebook) -> list[Tally]:
    """Per tactic that is recommended or warned against, how often it was picked; most picked first.

    The trend compares how often per play it was picked lately with before: for a recommended
    tactic more often is better, for a warned-against one less often.
    """
    known = _picks_by_play(plays)
    split = max(0, len(known) - RECENT_PLAYS)
    total: dict[str, int] = {}
    before: dict[str, int] = {}
    for position, tactic in _graded_uses(known, rulebook):
        name = tactic.id
        total[name] = total.get(name, 0) + 1
        if position < split:
            before[name] = before.get(name, 0) + 1
    tallies = []
    for name, count in total.items():
        tactic = rulebook.tactics[name]
        trend = None
        if split and len(known) > split:
            change = (count - before.get(name, 0)) / (len(known) - split) - before.get(name, 0) / split
            if abs(change) < TREND_MARGIN * 2:
                trend = STEADY
            else:
                trend = BETTER if (change > 0) == (tactic.kind == RECOMMENDED) else WORSE
        recommended, warned = (count, 0) if tactic.kind == RECOMMENDED else (0, count)
        tallies.append(Tally(name, tactic.label, recommended, warned, trend))
    return sorted(tallies, key=lambda t: (-(t.recommended + t.warned), t.key))


def articles_of(story: Story, rulebook: Rulebook) -> set[str]:
    """The articles a story trains: those it declares and those its replies' tactics cite."""
    articles = set(story.sources)
    for node in story.nodes.values():
        for choice in node.choices:
            for name in choice.tactics:
                tactic = rulebook.tactics.get(name)
                if tactic is not None:
                    articles.add(tactic.source.article)
    return articles


def suggestion(plays: Sequence[PlayRecord], rulebook: Rulebook, stories: Sequence[tuple[Path, Story]]) -> Suggestion | None:
    """The weakest article (the largest share of warned-against picks, see :data:`EVIDENCE`; with none, the least practised)
    and the story that trains it where the learner has done least well (never played first)."""
    tallies = {t.key: t for t in article_tallies(plays, rulebook)}
    candidates = sorted(rulebook.articles) or sorted(tallies)
    if not candidates:
        return None
    warned = [t for t in tallies.values() if t.warned]
    if warned:
        # The share of warned-against picks, pulled towards none for an article picked only once or twice.
        weakest = max(warned, key=lambda t: (t.warned / (t.warned + t.recommended + EVIDENCE), t.warned, t.key)).key
        tally = tallies[weakest]
        total = tally.warned + tally.recommended
        reason = ngettext(
            "{warned} of your {total} pick drawing on it was a reply it warns against",
            "{warned} of your {total} picks drawing on it were replies it warns against",
            total,
        ).format(warned=tally.warned, total=total)
    else:
        weakest = min(candidates, key=lambda a: (tallies[a].recommended if a in tallies else 0, a))
        picked = tallies[weakest].recommended if weakest in tallies else 0
        reason = _("you have practised it least") if picked else _("you have not practised it yet")
    ranks = _ranks(rulebook)
    best: dict[str, int] = {}
    for play in plays:
        best[play.story] = max(best.get(play.story, -1), ranks.get(play.outcome, -1))
    training = [(path, story) for path, story in stories if weakest in articles_of(story, rulebook)]
    label = article_label(rulebook, weakest)
    if not training:
        return Suggestion(weakest, label, reason, None, None)
    path, story = min(training, key=lambda item: (best.get(item[0].name, -1), item[1].title.casefold()))
    return Suggestion(weakest, label, reason, path, story.title)
