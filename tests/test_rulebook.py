"""The rulebook says what the articles say, claim by claim (where each claim is cited: tests/test_sources.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from roleplay.parsing.diagnostics import StoryError
from roleplay.play.engine import Rules, State
from roleplay.rules.rulebook import default_rulebook, load_rulebook
from roleplay.story.model import Customer, Node, Story

RULEBOOK = default_rulebook()


def story(traits=(), mood=50) -> Story:
    node = Node("n", ("hello",), (), False, (), (), None)
    return Story("t.yaml", "t", "en", "", (), Customer("c", "", mood, 50, tuple(traits)), "n", None, {"n": node})


def effect_of(tactics, *, traits=(), mood=50, used=(), flags=(), counters=()):
    """(mood, loyalty) change of a reply with ``tactics`` in the given situation."""
    rules = Rules(story(traits, mood), RULEBOOK)
    state = State("n", mood, 50, flags=frozenset(flags), used=tuple(sorted(used)), counters=tuple(counters))
    effects = rules.score(state, tactics)
    return sum(e.mood for e in effects), sum(e.loyalty for e in effects)


def mood(tactics, **situation):
    return effect_of(tactics, **situation)[0]


def loyalty(tactics, **situation):
    return effect_of(tactics, **situation)[1]


# 000 (lv) — five ways to handle a dissatisfied customer --------------------------------


def test_000_listening_and_letting_them_talk_help() -> None:
    assert mood(["listen"]) > 0 and loyalty(["listen"]) > 0
    assert mood(["ask_questions"]) > 0 and loyalty(["ask_questions"]) > 0
    assert mood(["interrupt"]) < 0 and loyalty(["interrupt"]) < 0


def test_000_empathy_helps() -> None:
    assert mood(["empathize"]) > 0 and loyalty(["empathize"]) > 0


def test_000_an_apology_helps_even_when_it_is_not_our_fault() -> None:
    assert mood(["apologize"]) > 0 and loyalty(["apologize"]) > 0


def test_000_a_repeated_apology_fades_to_nothing() -> None:
    first = effect_of(["apologize"])
    assert first[0] > 0 and first[1] > 0
    assert effect_of(["apologize"], used=[("apologize", 1)]) == (0, 0)
    assert effect_of(["apologize"], used=[("apologize", 3)]) == (0, 0)


def test_000_apologizing_again_after_the_customer_asked_for_a_solution_costs() -> None:
    again = effect_of(["apologize"], used=[("apologize", 1)], flags={"wants_solution"})
    assert again[0] < 0 and again[1] < 0


def test_000_a_time_committed_to_is_a_promise() -> None:
    assert RULEBOOK.tactics["set_deadline"].counters == {"promises": 1}
    assert any(rule.per == "promises" and rule.loyalty < 0 for rule in RULEBOOK.settlement)


def test_000_an_apology_after_the_customer_asked_for_a_solution_counts_for_less() -> None:
    plain = mood(["apologize"])
    unwanted = mood(["apologize"], flags={"wants_solution"})
    assert 0 < unwanted < plain
    assert loyalty(["apologize"], flags={"wants_solution"}) > 0


def test_000_a_solution_before_hearing_the_customer_out_is_worth_less() -> None:
    early = effect_of(["offer_solution"])
    after_listening = effect_of(["offer_solution"], used=[("listen", 1)])
    after_questions = effect_of(["offer_solution"], used=[("ask_questions", 1)])
    told_everything = effect_of(["offer_solution"], flags={"heard_out"})
    assert early[0] < after_listening[0] == after_questions[0] == told_everything[0]
    assert early[1] < after_listening[1]
    assert early[0] > 0


def test_000_a_deadline_and_a_direct_contact_build_loyalty() -> None:
    assert loyalty(["set_deadline"]) > 0 and loyalty(["give_contact"]) > 0


# 001 (et) — five everyday hard situations -----------------------------------------------


def test_001_1_dont_know_find_out() -> None:
    assert mood(["admit_ignorance"]) < 0 < mood(["find_out"])


def test_001_2_positive_tone_for_out_of_stock() -> None:
    assert mood(["negative_tone"]) < 0 < mood(["positive_framing"])


def test_001_3_a_transfer_with_a_reason() -> None:
    assert mood(["cold_transfer"]) < 0 < mood(["warm_transfer"])
    assert mood(["cold_transfer"], traits=["in_a_hurry"]) < mood(["cold_transfer"])


def test_001_4_bending_the_rule_pleases_now_and_costs_later() -> None:
    bend = effect_of(["break_rule"])
    refuse = effect_of(["decline_with_reason"])
    assert bend[0] > 0 > refuse[0]  # the yes feels better in the moment
    assert bend[1] < 0 < refuse[1]  # and costs trust


def test_001_4_a_no_with_an_alternative_is_worth_more_than_both_apart() -> None:
    together = effect_of(["decline_with_reason", "offer_alternative"])
    apart = [effect_of(["decline_with_reason"]), effect_of(["offer_alternative"])]
    assert together[0] > sum(m for m, _ in apart) and together[1] > sum(loyalty for _, loyalty in apart)


def test_001_5_empathy_explanation_and_fix_together_beat_each_alone() -> None:
    heard = {"heard_out"}
    together = effect_of(["empathize", "explain_cause", "offer_solution"], flags=heard)
    alone = [effect_of([t], flags=heard) for t in ("empathize", "explain_cause", "offer_solution")]
    assert together[0] > sum(m for m, _ in alone)
    assert together[1] > sum(loyalty for _, loyalty in alone)


# 002 (hr) — harmful advice and useful conclusions ---------------------------------------


def test_002_citing_the_contract_wins_the_round_and_loses_the_customer() -> None:
    contract = effect_of(["cite_contract"])
    assert abs(contract[0]) <= 5  # the customer has no comeback: the mood barely moves
    assert contract[1] <= -15  # but the relationship takes the hit
    assert loyalty(["cite_contract"], traits=["regular"]) < contract[1]
    assert loyalty(["offer_new_terms"]) > 0


def test_002_management_decision_vs_taking_it_on() -> None:
    assert loyalty(["blame_management"]) < 0 < loyalty(["take_responsibility"])


def test_002_sending_them_to_the_website_is_a_brush_off() -> None:
    assert mood(["refer_to_website"]) < 0 and loyalty(["refer_to_website"]) < 0


def test_002_blaming_a_supplier_backfires() -> None:
    assert mood(["blame_supplier"]) < 0 and loyalty(["blame_supplier"]) < 0


def test_002_silence_costs_more_in_public_and_a_quick_answer_helps() -> None:
    assert loyalty(["delay_reply"], traits=["public"]) < loyalty(["delay_reply"]) < 0
    assert loyalty(["respond_quickly"], traits=["public"]) > loyalty(["respond_quickly"]) > 0


def test_002_3_never_answer_an_insult_with_an_insult() -> None:
    retaliation = mood(["retaliate"])
    assert retaliation == min(mood([t]) for t in RULEBOOK.tactics)
    assert mood(["retaliate"], traits=["abusive"]) < retaliation


def test_002_6_compensation_is_worth_it() -> None:
    assert mood(["offer_compensation"]) > 0 and loyalty(["offer_compensation"]) > 0


# 003 (pl) — how to deal with a difficult customer ----------------------------------------


def test_003_calm_matters_most_when_the_customer_is_angriest() -> None:
    assert mood(["stay_calm"], mood=20) > mood(["stay_calm"], mood=60) > 0


def test_003_assertive_not_submissive() -> None:
    assert loyalty(["set_boundary"]) > 0
    assert mood(["give_in"]) > 0 > loyalty(["give_in"])
    assert loyalty(["give_in"], traits=["abusive"]) < loyalty(["give_in"])
    assert mood(["set_boundary"], traits=["abusive"]) > mood(["set_boundary"])


def test_003_you_represent_the_company_so_do_not_defend_yourself_or_make_excuses() -> None:
    assert mood(["get_defensive"]) < 0 and mood(["make_excuses"]) < 0
    assert loyalty(["dismiss_problem"]) < 0 < loyalty(["reassure"])


def test_003_thank_a_loyal_customer() -> None:
    assert loyalty(["thank_customer"], traits=["regular"]) > loyalty(["thank_customer"]) > 0


def test_003_a_reckless_promise_is_the_most_pleasing_reply_and_opens_a_debt() -> None:
    assert mood(["reckless_promise"]) == max(mood([t]) for t in RULEBOOK.tactics)
    assert RULEBOOK.tactics["reckless_promise"].counters == {"reckless_promises": 1, "warned": 1}


def test_002_keeping_your_word_counts_only_when_a_promise_is_open() -> None:
    kept = effect_of(["keep_promise"], counters=[("promises", 1)])
    assert kept[0] > 0 and kept[1] > 0
    assert effect_of(["keep_promise"]) == (0, 0)


# 004 (pl) — is the customer always right? ------------------------------------------------


def test_004_agreeing_when_the_customer_is_wrong_buys_quiet_and_costs_loyalty() -> None:
    agree = effect_of(["agree_when_wrong"], traits=["mistaken"])
    assert agree[0] > 0 > agree[1]


def test_004_telling_them_they_are_wrong_makes_them_dig_in() -> None:
    assert mood(["tell_wrong"], traits=["mistaken"]) < mood(["tell_wrong"]) < 0


def test_004_proving_your_point_costs_more_later_than_now() -> None:
    lecture = effect_of(["lecture"])
    assert lecture[1] < lecture[0] < 0


def test_004_work_it_out_together_and_let_them_save_face() -> None:
    for tactic in ("explore_together", "guide_gently"):
        assert mood([tactic], traits=["mistaken"]) > mood([tactic]) > 0
    assert mood(["normalize_mistake"]) > 0 and loyalty(["normalize_mistake"]) > 0


# structure --------------------------------------------------------------------------------


def test_the_ladder_runs_from_recommends_down_to_complaining_in_public() -> None:
    assert [o.id for o in RULEBOOK.outcomes] == ["recommends", "stays", "stays_wary", "leaves", "leaves_complains"]
    ranks = [RULEBOOK.outcome_rank(o.id) for o in RULEBOOK.outcomes]
    assert ranks == sorted(ranks, reverse=True) and RULEBOOK.outcome_rank("leaves_complains") == 0
    assert RULEBOOK.outcomes[-1].when is None


def test_every_warned_tactic_leaves_a_mark_and_no_other_does() -> None:
    for tactic in RULEBOOK.tactics.values():
        assert (tactic.counters.get("warned", 0) == 1) == (tactic.kind == "warned"), tactic.id


def finished(loyalty=90, mood=80, counters=(), walked_out=False):
    return Rules(story(), RULEBOOK).context(
        State("n", mood, loyalty, counters=tuple(sorted(counters)), walked_out=walked_out, finished=True)
    )


def test_one_warned_reply_keeps_the_outcome_below_the_top_rung() -> None:
    assert RULEBOOK.rung(finished()).id == "recommends"
    assert RULEBOOK.rung(finished(counters=[("warned", 1)])).id == "stays"
    assert RULEBOOK.rung(finished(counters=[("warned", 2)])).id == "stays"


def test_three_warned_replies_leave_the_customer_wary_at_best() -> None:
    assert RULEBOOK.rung(finished(counters=[("warned", 3)])).id == "stays_wary"
    # A ceiling only ever lowers: a worse rung stays where loyalty put it.
    assert RULEBOOK.rung(finished(loyalty=10, counters=[("warned", 3)])).id == "leaves_complains"


def test_mood_words_cover_the_scale() -> None:
    assert [RULEBOOK.mood_word(m) for m in (0, 14, 15, 50, 75, 100)] == [
        "furious",
        "furious",
        "angry",
        "uneasy",
        "pleased",
        "delighted",
    ]


def test_a_broken_rulebook_is_reported_with_its_location(tmp_path) -> None:
    text = Path(RULEBOOK.path).read_text(encoding="utf-8")
    broken = text.replace("tactic: apologize\n    when: used(apologize)", "tactic: apologise\n    when: used(apologize)", 1)
    path = tmp_path / "rulebook.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        load_rulebook(path)
    [error] = caught.value.errors
    line = broken.splitlines().index("    tactic: apologise") + 1
    assert str(error) == f"{path}:{line}:13: error: unknown tactic 'apologise' (did you mean 'apologize'?)"


@pytest.mark.parametrize("section", ["modifiers", "settlement", "ceilings"])
def test_a_section_that_is_not_a_list_is_reported_with_its_location(tmp_path, section) -> None:
    text = Path(RULEBOOK.path).read_text(encoding="utf-8")
    start = text.index(f"\n{section}:\n") + 1
    broken = text[:start] + f"{section}: 5\n" + _after_block(text, start)
    path = tmp_path / "rulebook.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        load_rulebook(path)
    line = broken.splitlines().index(f"{section}: 5") + 1
    assert any(e.location.line == line and "list" in e.message for e in caught.value.errors), caught.value.errors


def _after_block(text: str, start: int) -> str:
    """The text after the top-level block that starts at ``start``."""
    lines = text[start:].split("\n")
    for index, line in enumerate(lines[1:], start=1):
        if line and not line.startswith((" ", "#", "-")):
            return "\n".join(lines[index:])
    return ""
