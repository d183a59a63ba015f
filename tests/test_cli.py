"""The command line: validate, run and rules, their output and exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import roleplay

FIXTURES = Path(__file__).parent / "fixtures"
STORY = FIXTURES / "now-vs-later.yaml"


def test_validate_a_clean_file(capsys) -> None:
    code, out, err = roleplay(capsys, "validate", str(STORY))
    assert code == 0 and out == ""
    assert err == "1 file checked: 0 errors, 0 warnings\n"


def test_validate_reports_errors_with_location_and_exits_1(capsys, write_story) -> None:
    path = write_story(STORY.read_text().replace("tactics: [cite_contract]", "tactics: [cite_contrakt]"))
    code, out, err = roleplay(capsys, "validate", str(path))
    assert code == 1
    line = path.read_text().splitlines().index("        tactics: [cite_contrakt]") + 1
    assert out == (
        f"{path}:{line}:19: error: unknown tactic 'cite_contrakt' (did you mean 'cite_contract'?); "
        "'roleplay rules' lists the tactics\n"
    )
    assert "1 error" in err


def test_warnings_fail_only_with_strict(capsys, write_story) -> None:
    path = write_story(STORY.read_text() + "  orphan:\n    say: nobody\n    end: true\n")
    assert roleplay(capsys, "validate", str(path))[0] == 0
    code, out, _ = roleplay(capsys, "validate", "--strict", str(path))
    assert code == 1 and "warning: node 'orphan' cannot be reached from start 'late'" in out


def test_validate_walks_folders(capsys, write_story) -> None:
    write_story(STORY.read_text(), "one.yaml")
    path = write_story("title: [", "two.yaml")
    code, out, err = roleplay(capsys, "validate", str(path.parent))
    assert code == 1 and "two.yaml:2:1: error: YAML syntax error" in out
    assert err.startswith("2 files checked: 1 error")


def test_validate_usage_errors_exit_2(capsys, tmp_path) -> None:
    assert roleplay(capsys, "validate")[0] == 2
    code, _, err = roleplay(capsys, "validate", str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such file or folder" in err


def test_validate_json(capsys, write_story) -> None:
    path = write_story("title: x\n")
    code, out, _ = roleplay(capsys, "validate", "--json", str(path))
    data = json.loads(out)
    assert code == 1 and data["errors"] == 3
    assert data["files"][0]["diagnostics"][0] == {
        "path": str(path),
        "line": 1,
        "column": 1,
        "severity": "error",
        "message": "the story needs a 'customer' field",
    }


HASH_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
"""An article's file name, which a learner must never see in text output."""


def test_run_prints_each_turn_the_ending_and_the_outcome(capsys) -> None:
    code, out, _ = roleplay(capsys, "run", str(STORY), "--choose", "2,2,2,1")
    assert code == 0
    assert "Turn 1 (late)\n  Ilse: My sofa was due last week. When will it come?\n" in out
    assert (
        "  You (2): I'll call you by Friday with a confirmed date.\n  tactics: make_promise\n  mood 40 -> 46 (+6, uneasy)\n"
        in out
    )
    assert "    make_promise: mood +6, loyalty +2 - " in out
    assert (
        "      Korisni zaključci (“Useful conclusions”), point 7 · Customer complaints: what to do? "
        "Harmful advice and useful conclusions (Croatian: Pritužbe kupaca - što učiniti? Štetni savjeti i korisni zaključci.)\n"
        "      “Držite svoja obećanja.”\n"
        "      In English: “Keep your promises.”\n"
    ) in out
    assert "Ending: done\n" in out
    assert "Outcome: Recommends you (recommends)" in out
    assert "      In English: “Keep your promises.”\n" in out
    assert "preporučiti svojim prijateljima" in out  # the outcome's passage
    assert not HASH_NAME.search(out)


def test_run_json_has_the_documented_fields(capsys) -> None:
    code, out, _ = roleplay(capsys, "run", str(STORY), "--choose", "1,3,1,1", "--json")
    data = json.loads(out)
    assert code == 0
    assert {"turns", "finished", "ending", "outcome", "mood", "loyalty"} <= data.keys()
    assert data["finished"] is True and data["ending"] == "done" and data["outcome"] == "leaves_complains"
    turn = data["turns"][0]
    assert {"node", "reply", "tactics", "mood_before", "mood_after", "effects"} <= turn.keys()
    assert (turn["node"], turn["tactics"], turn["mood_before"], turn["mood_after"]) == ("late", ["reckless_promise"], 40, 54)
    source = turn["effects"][0]["source"]
    assert (source["article"], source["section"], source["quote"]) == (
        "003_4f22e2007cc1978f.txt",
        "Obiecanki cacanki",
        "reckless",
    )
    assert source["title"] == "How to deal with a difficult customer" and source["language"] == "Polish"
    assert source["heading"] == "Obiecanki cacanki" and source["heading_english"] == "Empty promises"
    assert source["quote_original"].startswith("Ale niewłaściwą strategią") and source["quote_english"].startswith(
        "But recklessly"
    )
    assert turn["effects"][0]["sources"] == [source]
    assert data["settlement"][0]["rule"] == "reckless_promise_broken"


def test_running_out_of_picks_is_not_an_error(capsys) -> None:
    code, out, _ = roleplay(capsys, "run", str(STORY), "--choose", "1", "--json")
    data = json.loads(out)
    assert code == 0 and data["finished"] is False and data["ending"] is None and data["outcome"] is None
    assert len(data["turns"]) == 1


def test_a_pick_not_on_offer_is_a_clear_error(capsys) -> None:
    code, _, err = roleplay(capsys, "run", str(STORY), "--choose", "1,9")
    assert code == 1
    assert err == "roleplay run: error: pick 2 (9): reply 9 is not on offer at node 'wrong'; choose from 1 to 3\n"


@pytest.mark.parametrize("picks", ["a,b", "1,,2", "0"])
def test_malformed_picks_are_usage_errors(capsys, picks: str) -> None:
    code, _, err = roleplay(capsys, "run", str(STORY), "--choose", picks)
    assert code == 2 and "--choose" in err


def test_run_a_story_with_errors_prints_them_and_exits_1(capsys, write_story) -> None:
    path = write_story("title: x\nnodes: {}\n")
    code, out, err = roleplay(capsys, "run", str(path), "--choose", "1")
    assert code == 1 and out == ""
    assert f"{path}:1:1: error: the story needs a 'customer' field" in err


def test_run_an_unknown_story(capsys) -> None:
    code, _, err = roleplay(capsys, "run", "no-such-story")
    assert code == 1 and "no story file 'no-such-story'" in err


def test_rules_lists_every_tactic_with_its_source(capsys) -> None:
    code, out, _ = roleplay(capsys, "rules")
    assert code == 0
    assert "cite_contract        mood  -2  loyalty -18, warned +1  Point to the contract" in out
    assert "warned_reply       when warned >= 1: no better than Stays" in out
    assert "Bilo je u vašem ugovoru. (“It was in your contract.”) · Customer complaints: what to do?" in out
    assert "In English: “Pointing to the contract may let you win the first round" in out
    assert "apology_repeated" in out and "recommends" in out
    assert not HASH_NAME.search(out)


def test_sources_lists_each_article_with_its_quotes_and_the_rules_citing_them(capsys) -> None:
    code, out, _ = roleplay(capsys, "sources")
    assert code == 0 and not HASH_NAME.search(out)
    assert (
        "1. Five ways to handle a dissatisfied customer, even when the customer is wrong\n   Latvian (lv) · the copy has no title of its own\n"
        in out
    )
    assert (
        "5. “The customer is always right!”: is it still so?\n   Polish (pl) · original title: „Klient ma zawsze rację!” – czy dalej tak jest?\n"
        in out
    )
    assert (
        "   1. Kui kliendid küsivad teeneid, mida ei anna pakkuda.. (“Situation 4: when customers ask for favours you cannot offer”)\n"
        in out
    )
    assert (
        "     “Meie “loomad pole lubatud” reegel on väga oluline, kuna see pakub kindlust ja turvatunnet teistele klientidele.”\n"
        '     In English: “Our "no animals" rule is very important, because it gives our other guests certainty and a sense of safety.”\n'
        "     Cited by: tactic: Say no, with the reason\n"
    ) in out
    assert "     point 7: “Držite svoja obećanja.”\n" in out
    assert "Cited by: outcome: Recommends you\n" in out


def test_sources_in_another_interface_language(capsys) -> None:
    code, out, _ = roleplay(capsys, "sources", "--lang", "pl")
    assert code == 0 and not HASH_NAME.search(out)
    assert "     point 7: “Držite svoja obećanja.”\n" not in out and "     punkt 7: “Držite svoja obećanja.”\n" in out
    assert "     punkt 7: “Držite svoja obećanja.”\n     Po polsku: “Dotrzymuj obietnic.”\n" in out
    assert "Po angielsku" not in out and "Keep your promises." not in out
    assert "   Korisni zaključci (“Przydatne wnioski”)\n" in out
    # A Polish article's quote needs no translation for a Polish reader: its heading and quote stand alone.
    assert "   Nie tłumacz się\n     “Nie tłumacz się i nie obwiniaj innych." in out
    quote = "     “Klienta nie interesują podwykonawcy, dostawcy czy księgowi.”\n"
    assert quote + "     Cytują: " in out
    assert "Cytują: taktyka: " in out


def test_sources_json_keeps_file_names_beside_the_readable_fields(capsys) -> None:
    code, out, _ = roleplay(capsys, "sources", "--json")
    data = json.loads(out)
    assert code == 0 and [a["article"] for a in data] == sorted(a["article"] for a in data) and len(data) == 5
    croatian = data[2]
    assert croatian["title"].startswith("Customer complaints") and croatian["language_code"] == "hr"
    assert croatian["original_title"] == "Pritužbe kupaca - što učiniti? Štetni savjeti i korisni zaključci."
    points = next(s for s in croatian["sections"] if s["heading"] == "Korisni zaključci")
    keep = next(q for q in points["quotes"] if q["point"] == 7)
    assert keep["original"] == "Držite svoja obećanja." and keep["english"] == "Keep your promises."
    assert {"kind": "at the end", "id": "promise_unkept", "name": "promise unkept"} in keep["cited_by"]


def test_rules_json(capsys) -> None:
    _code, out, _ = roleplay(capsys, "rules", "--json")
    data = json.loads(out)
    assert data["tactics"]["reckless_promise"]["counters"] == {"reckless_promises": 1, "warned": 1}
    assert [c["id"] for c in data["ceilings"]] == ["warned_reply", "warned_replies"]
    assert next(o["id"] for o in data["outcomes"]) == "recommends"


def test_the_console_script_runs_from_any_folder(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "roleplay", "validate", "--strict", str(STORY)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_run_says_which_ceiling_held_the_outcome_and_which_replies_set_it(capsys) -> None:
    from tests.writer.conftest import FIXTURES

    code, out, _ = roleplay(capsys, "run", str(FIXTURES / "lessons.yaml"), "--choose", "2,1")
    assert code == 0
    assert "Outcome: Stays (stays)" in out
    assert "  Held at Stays at best (warned_reply): A reply the articles warn against leaves a mark." in out
    assert "  Replies the articles warn against: turn 1 (blame_supplier)" in out
    code, out, _ = roleplay(capsys, "run", str(FIXTURES / "lessons.yaml"), "--choose", "2,1", "--json")
    data = json.loads(out)
    assert data["ceilings"] == ["warned_reply"] and data["marks"] == [{"turn": 1, "tactics": ["blame_supplier"]}]


def test_a_text_layer_given_as_the_story_plays_and_analyses_the_story_it_translates(capsys) -> None:
    from roleplay.play.library import bundled_stories_dir

    layer = bundled_stories_dir() / "hotel-cat.lv.yaml"
    code, out, err = roleplay(capsys, "analyze", "--strict", str(layer))
    assert code == 0 and "hotel-cat.lv.yaml is the lv text of hotel-cat.yaml; using hotel-cat.yaml" in err
    assert "No problems" in out
    code, out, _ = roleplay(capsys, "run", str(layer), "--choose", "1")
    assert code == 0 and "Edīte Zariņa" in out
