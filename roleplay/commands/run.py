"""``roleplay run STORY --choose 1,3,2``: play a story without the interface."""

from __future__ import annotations

import argparse
import sys
import textwrap

from roleplay.commands.common import add_language_option, load_for_command, print_json
from roleplay.i18n import _, exception_text
from roleplay.play.engine import Effect, Session, TurnResult, replay
from roleplay.rules.citations import sources_lines
from roleplay.rules.text_layer import translated_rulebook


def parse_picks(text: str) -> list[int]:
    """'1,3,2' to [1, 3, 2]; argparse turns a ValueError into a usage error (exit 2)."""
    if not text.strip():
        return []
    try:
        picks = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected reply numbers separated by commas, like 1,3,2, not {text!r}").format(text=text)
        ) from None
    if any(pick < 1 for pick in picks):
        raise argparse.ArgumentTypeError(_("reply numbers start at 1"))
    return picks


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run",
        help=_("play a story with given replies, without the interface"),
        description=_(
            "Play STORY (a file, or a bundled story's name) giving the replies numbered as the player "
            "sees them: 1-based among the replies on offer at each turn."
        ),
    )
    parser.add_argument("story", metavar="STORY", help=_("a story file, or the name of a bundled story"))
    parser.add_argument("--choose", type=parse_picks, default=[], metavar="1,3,2", help=_("the replies to give, in order"))
    parser.add_argument("--json", action="store_true", help=_("print one JSON object instead of text"))
    add_language_option(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    story = load_for_command(args.story, args.language)
    if story is None:
        return 1
    again = replay(story, args.choose, translated_rulebook(getattr(args, "language", "en")))
    session = again.session
    problem = (
        None
        if again.error is None
        else _("pick {number} ({refused}): {problem}").format(
            number=again.replayed + 1, refused=again.refused, problem=exception_text(again.error)
        )
    )
    if args.json:
        print_json(session_json(session))
    else:
        print_session(session)
    if problem:
        print(f"roleplay run: error: {problem}", file=sys.stderr)
        return 1
    return 0


def session_json(session: Session) -> dict[str, object]:
    outcome = session.outcome
    return {
        "story": session.story.title,
        "turns": [turn.to_json() for turn in session.turns],
        "finished": session.finished,
        "walked_out": session.walked_out,
        "ending": session.ending,
        "outcome": outcome.id if outcome else None,
        "ceilings": [ceiling.id for ceiling in session.ceilings],
        "marks": [{"turn": result.turn, "tactics": list(tactics)} for result, tactics in session.marks],
        "settlement": [effect.to_json() for effect in session.settlement],
        "mood": session.mood,
        "loyalty": session.loyalty,
        "node": None if session.finished else session.state.node,
        "offered": [choice.reply for choice in session.offered()],
    }


def format_effect(effect: Effect) -> str:
    changes = []
    if effect.mood:
        changes.append(_("mood {change}").format(change=f"{effect.mood:+d}"))
    if effect.loyalty:
        changes.append(_("loyalty {change}").format(change=f"{effect.loyalty:+d}"))
    lines = [f"{effect.rule}: {', '.join(changes) or _('no change')} - {effect.explain}"]
    lines.extend(f"  {line}" for line in sources_lines(effect.sources))
    return "\n".join(lines)


def print_turn(session: Session, turn: TurnResult) -> None:
    name = session.story.customer.name
    rulebook = session.rulebook
    print(_("Turn {number}").format(number=turn.turn) + f" ({turn.node})")
    for line in turn.customer_said:
        print(f"  {name}: {line}")
    print("  " + _("You ({number}): {reply}").format(number=turn.number, reply=turn.reply))
    print("  " + _("tactics: {tactics}").format(tactics=", ".join(turn.tactics) or _("none")))
    print(
        "  "
        + _("mood {before} -> {after} ({change}, {word})").format(
            before=turn.mood_before,
            after=turn.mood_after,
            change=f"{turn.mood_change:+d}",
            word=rulebook.mood_word(turn.mood_after),
        )
    )
    for effect in turn.effects:
        print(textwrap.indent(format_effect(effect), "    "))
    print()


def print_session(session: Session) -> None:
    story = session.story
    print(f"{story.title}: {story.customer.name}, {story.customer.about}".rstrip(", "))
    print()
    for turn in session.turns:
        print_turn(session, turn)
    outcome = session.outcome
    if outcome is None:
        node = session.node
        print(
            _("Not finished: at {node}, mood {mood} ({word}).").format(
                node=session.state.node, mood=session.mood, word=session.mood_word
            )
        )
        if node is not None:
            for line in node.say:
                print(f"  {story.customer.name}: {line}")
            for number, choice in enumerate(session.offered(), start=1):
                print(f"  {number}. {choice.reply}")
        return
    if session.walked_out:
        print(_("{name} walked out.").format(name=story.customer.name) + f" {session.rulebook.walkout.explain}")
        for line in sources_lines(session.rulebook.walkout.sources):
            print(f"  {line}")
    if session.node is not None and session.ending:
        for line in session.node.say:
            print(f"  {story.customer.name}: {line}")
    print(_("Ending: {ending}").format(ending=session.ending or (_("walked out") if session.walked_out else _("none"))))
    for effect in session.settlement:
        print(textwrap.indent(format_effect(effect), "  "))
    print(_("Outcome: {label} ({id}) - {meaning}").format(label=outcome.label, id=outcome.id, meaning=outcome.meaning))
    for line in sources_lines(outcome.sources):
        print(f"  {line}")
    if session.ceilings:
        marks = ", ".join(
            _("turn {number}").format(number=result.turn) + f" ({', '.join(tactics)})" for result, tactics in session.marks
        )
        for ceiling in session.ceilings:
            held = _("Held at {outcome} at best").format(outcome=session.rulebook.outcome(ceiling.best).label)
            print(f"  {held} ({ceiling.id}): {ceiling.explain}")
            for line in sources_lines(ceiling.sources):
                print(f"    {line}")
        print("  " + _("Replies the articles warn against: {turns}").format(turns=marks))
    print(
        _("Final mood {mood} ({word}), loyalty {loyalty}").format(
            mood=session.mood, word=session.mood_word, loyalty=session.loyalty
        )
    )
