"""Every citation says what its rule claims: the quotes are verbatim in their article and section, article by article.

The articles are read from the copy shipped inside the package (``roleplay/rules/articles``).
"""

from __future__ import annotations

import re
import shutil
import tomllib
from importlib.resources import files
from pathlib import Path

import pytest

from roleplay.parsing.diagnostics import StoryError
from roleplay.rules.articles import BULLET, default_library, load_library, point_line
from roleplay.rules.citations import articles_in_use, cite, cited_rules
from roleplay.rules.rulebook import default_rulebook, load_rulebook
from tests.conftest import ARTICLES, ROOT

LIBRARY = default_library()
RULEBOOK = default_rulebook()
HASH_NAME = re.compile(r"\d{3}_[0-9a-f]{16}\.txt")
"""An article's file name, which a learner must never see."""

A000, A001, A002, A003, A004 = sorted(LIBRARY.keys())


def text_of(article_id: str) -> str:
    return (ARTICLES / article_id).read_text(encoding="utf-8")


def all_quotes():
    for article in LIBRARY.values():
        for section in article.sections:
            for quote in section.quotes.values():
                yield pytest.param(article, section, quote, id=f"{article.id[:3]}-{quote.id}")


def all_headings():
    for article in LIBRARY.values():
        for section in article.sections:
            if section.heading is not None:
                yield pytest.param(article, section, id=f"{article.id[:3]}-{section.heading}")


# the shipped articles -----------------------------------------------------------------------


def test_the_five_articles_ship_inside_the_package() -> None:
    shipped = {path.name for path in files("roleplay.rules.articles").iterdir() if path.name.endswith(".txt")}
    assert shipped == set(LIBRARY.keys()) and len(shipped) == 5
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["setuptools"]["packages"]["find"]["include"] == ["roleplay*"]
    assert {"*.txt", "*.yaml"} <= set(config["tool"]["setuptools"]["package-data"]["*"])


@pytest.mark.parametrize(("article", "section"), list(all_headings()))
def test_every_heading_is_a_line_of_its_article_exactly_as_written(article, section) -> None:
    lines = [BULLET.sub("", line, count=1).rstrip() for line in text_of(article.id).splitlines()]
    assert section.heading in lines
    assert section.english.strip() and section.english != section.heading


def test_the_estonian_article_numbers_every_heading_1_and_the_translations_say_which_situation() -> None:
    headings = [s for s in LIBRARY[A001].sections if s.heading is not None]
    assert len(headings) == 5
    assert all(s.heading.startswith("1. Kui ") and s.heading.endswith("..") for s in headings)
    assert [s.english.split(":")[0] for s in headings] == [f"Situation {n}" for n in range(1, 6)]


def test_the_croatian_useful_conclusions_have_seven_numbered_points() -> None:
    body = LIBRARY[A002].section_text("Korisni zaključci")
    assert all(point_line(body, n) for n in range(1, 8)) and point_line(body, 8) is None


@pytest.mark.parametrize(("article", "section", "quote"), list(all_quotes()))
def test_every_quote_is_verbatim_in_its_section_and_point(article, section, quote) -> None:
    assert quote.original in text_of(article.id)
    body = article.section_text(section.name)
    assert quote.original in body, f"{quote.id} is in {article.id} but not in section {section.name!r}"
    if quote.point is not None:
        assert quote.original in point_line(body, quote.point)
    if article.advice_ends:
        assert text_of(article.id).index(quote.original) < text_of(article.id).index(article.advice_ends)


@pytest.mark.parametrize(("article", "section", "quote"), list(all_quotes()))
def test_every_quote_is_one_or_two_sentences_with_an_english_translation(article, section, quote) -> None:
    sentences = re.findall(r"[.!?]+[”\")]*(?=\s|$)", quote.original)
    assert 1 <= len(sentences) <= 2, quote.original
    assert quote.english.strip() and quote.english != quote.original


GAME_LANGUAGES = ("lv", "et", "hr", "pl")


@pytest.mark.parametrize(("article", "section", "quote"), list(all_quotes()))
def test_every_quote_is_translated_into_every_other_language(article, section, quote) -> None:
    assert set(quote.translations) == set(GAME_LANGUAGES) - {article.code}
    assert quote.translation(article.code) is None  # a quote in the reader's own language needs none
    for code, text in quote.translations.items():
        assert text.strip() and text not in (quote.english, quote.original), (code, text)
        assert quote.translation(code) == text
    # Figures and names the quote gives are kept in each translation.
    for figure in re.findall(r"\d+%|postrussia\.info|Twitter", quote.original):
        assert all(figure in text for text in quote.translations.values()), figure


def test_every_heading_is_translated_and_every_part_without_one_is_described_in_every_language() -> None:
    for article in LIBRARY.values():
        for section in article.sections:
            if section.heading is None:
                assert set(section.translations) == set(GAME_LANGUAGES), section.name
                assert section.words(article.code) == section.translations[article.code]
            else:
                assert set(section.translations) == set(GAME_LANGUAGES) - {article.code}, section.heading
                assert section.words(article.code) is None
            assert section.words("en") == section.english
            assert all(text.strip() and text != section.english for text in section.translations.values())


def test_a_translation_into_the_quotes_own_language_is_an_error_at_its_line(tmp_path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / "articles.yaml"
    text = path.read_text(encoding="utf-8")
    owed = (
        '          english: "Even if it is not your fault, or even your company\'s, the customer deserves at least an apology."\n'
    )
    assert owed in text
    broken = text.replace(owed, owed + '          lv: "Pat ja tā nav Jūsu vaina."\n', 1)
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        load_library(path)
    [error] = caught.value.errors
    assert error.location.line == broken.splitlines().index('          lv: "Pat ja tā nav Jūsu vaina."') + 1
    assert error.message == "quote 'owed' is written in lv already: it needs no 'lv' translation"


def test_a_reader_sees_each_quote_and_heading_in_their_own_language() -> None:
    from roleplay.i18n import set_language
    from roleplay.rules.citations import quote_lines, section_label

    promise = next(s for s in RULEBOOK.settlement if s.id == "promise_unkept").sources[0]
    croatian = cite(promise)
    assert croatian.section.heading == "Korisni zaključci" and croatian.quote.original == "Držite svoja obećanja."
    expected = {
        "en": ("Korisni zaključci (“Useful conclusions”)", "In English: “Keep your promises.”"),
        "lv": ("Korisni zaključci (“Noderīgi secinājumi”)", "Latviski: “Turiet savus solījumus.”"),
        "et": ("Korisni zaključci (“Kasulikud järeldused”)", "Eesti keeles: “Pidage oma lubadusi.”"),
        "pl": ("Korisni zaključci (“Przydatne wnioski”)", "Po polsku: “Dotrzymuj obietnic.”"),
    }
    for language, (label, translated) in expected.items():
        set_language(language)
        assert section_label(croatian.section) == label
        assert quote_lines(croatian) == ["“Držite svoja obećanja.”", translated]
    set_language("hr")
    assert section_label(croatian.section) == "Korisni zaključci"
    assert quote_lines(croatian) == ["“Držite svoja obećanja.”"]
    opening = LIBRARY[A000].section("opening")
    assert section_label(opening) == "Uvodni odlomci (prije prvog podnaslova)"
    set_language("lv")
    assert section_label(opening) == "Ievaddaļa (pirms pirmā virsraksta)"


def test_original_titles_are_written_in_their_articles_and_the_others_have_none() -> None:
    for article in LIBRARY.values():
        first_line = text_of(article.id).splitlines()[0].strip()
        if article.original_title is None:
            assert article.id in (A000, A001)  # these copies open straight into the text
            assert len(first_line) > 150
        else:
            assert first_line == article.original_title
        assert article.title and article.language and len(article.code) == 2


def test_languages_match_the_articles_index() -> None:
    assert {a.id: (a.language, a.code) for a in LIBRARY.values()} == {
        A000: ("Latvian", "lv"),
        A001: ("Estonian", "et"),
        A002: ("Croatian", "hr"),
        A003: ("Polish", "pl"),
        A004: ("Polish", "pl"),
    }


def test_a_quote_that_is_not_in_its_section_is_an_error_at_its_line(tmp_path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / "articles.yaml"
    text = path.read_text(encoding="utf-8")
    # Move the listening quote under the apology heading: still verbatim in the article, but in the wrong section.
    broken = text.replace(
        "        owed:\n",
        "        owed:\n          original: 'Esiet labs uzklausītājs.'\n          english: x\n        was_owed:\n",
        1,
    )
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        load_library(path)
    [error] = caught.value.errors
    line = broken.splitlines().index("          original: 'Esiet labs uzklausītājs.'") + 1
    assert error.location.line == line
    assert (
        error.message == "quote 'owed' is not written word for word in section 'Atvainojieties' (it is elsewhere in the article)"
    )


def test_a_heading_not_written_so_is_an_error(tmp_path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = folder / "articles.yaml"
    broken = path.read_text(encoding="utf-8").replace(
        "- heading: 1. Kui toode pole saadaval..", "- heading: 2. Kui toode pole saadaval..", 1
    )
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        load_library(path)
    assert (
        caught.value.errors[0].message
        == f"the heading '2. Kui toode pole saadaval..' is not in {A001} (after the sections before it)"
    )
    assert caught.value.errors[0].location.line == broken.splitlines().index("    - heading: 2. Kui toode pole saadaval..") + 1


# every rule's citations -------------------------------------------------------------------


RULES = list(cited_rules(RULEBOOK))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.kind}-{r.id}")
def test_every_rule_cites_a_quote(rule) -> None:
    assert rule.sources
    for source in rule.sources:
        assert source.quote is not None
        citation = cite(source)
        assert citation.quote.original in text_of(source.article)
        assert source.point == citation.quote.point


def test_every_article_is_cited() -> None:
    assert {source.article for rule in RULES for source in rule.sources} == set(LIBRARY.keys())


def test_explanations_are_our_own_words_not_the_articles() -> None:
    texts = [text_of(a) for a in LIBRARY]
    quotes = [q.original for article in LIBRARY.values() for s in article.sections for q in s.quotes.values()]
    words = [t.explain for t in RULEBOOK.tactics.values()] + [m.explain for m in RULEBOOK.modifiers]
    words += [t.explain for t in RULEBOOK.traits.values()] + [s.explain for s in RULEBOOK.settlement]
    words += [o.meaning for o in RULEBOOK.outcomes] + [c.explain for c in RULEBOOK.ceilings] + [RULEBOOK.walkout.explain]
    for explain in words:
        assert explain.strip()
        assert not any(explain in text for text in texts)
        assert not any(quote in explain for quote in quotes if len(quote) > 15)


def test_a_rule_citing_a_missing_quote_is_an_error_at_its_line(tmp_path) -> None:
    text = Path(RULEBOOK.path).read_text(encoding="utf-8")
    old = "section: Klausieties, quote: let_them_know}"
    assert old in text
    broken = text.replace(old, "section: Klausieties, quote: let_them_knw}", 1)
    path = tmp_path / "rulebook.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        load_rulebook(path)
    error = caught.value.errors[0]
    assert error.message == (
        "section 'Klausieties' of 000_445a3fd0440ef997.txt has no quote 'let_them_knw' (did you mean 'let_them_know'?) "
        "(see roleplay/rules/articles/articles.yaml)"
    )
    assert error.location.line == next(i for i, line in enumerate(broken.splitlines(), 1) if "let_them_knw" in line)


def test_a_rule_needs_a_source_or_sources_but_not_both(tmp_path) -> None:
    text = Path(RULEBOOK.path).read_text(encoding="utf-8")
    old = "    source: {article: 000_445a3fd0440ef997.txt, section: Ļaujiet viņiem runāt, quote: questions}\n"
    assert old in text
    broken = text.replace(old, old + "    sources: []\n", 1)
    path = tmp_path / "rulebook.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        load_rulebook(path)
    error = caught.value.errors[0]
    assert error.message == "tactic ask_questions needs a 'source' or a list of 'sources' (one of the two)"


def test_an_unknown_article_is_an_error_naming_where_articles_are_listed(tmp_path) -> None:
    text = Path(RULEBOOK.path).read_text(encoding="utf-8")
    broken = text.replace("article: 000_445a3fd0440ef997.txt, section: Klausieties", "article: 009.txt, section: Klausieties", 1)
    path = tmp_path / "rulebook.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoryError) as caught:
        load_rulebook(path)
    assert (
        caught.value.errors[0].message
        == "unknown article '009.txt'; the articles are listed in roleplay/rules/articles/articles.yaml"
    )


# article by article: which rules claim each article, and that the passage says it ---------------


def quotes_of(kind: str, rule_id: str) -> set[tuple[str, str]]:
    """(article number, quote id) of every source of a rule."""
    rule = next(r for r in RULES if (r.kind, r.id) == (kind, rule_id))
    return {(source.article[:3], source.quote) for source in rule.sources}


def cited_quote(kind: str, rule_id: str, article: str, quote: str):
    assert (article[:3], quote) in quotes_of(kind, rule_id), f"{kind} {rule_id} does not cite {article[:3]} {quote}"
    rule = next(r for r in RULES if (r.kind, r.id) == (kind, rule_id))
    return next(cite(s) for s in rule.sources if (s.article, s.quote) == (article, quote)).quote


def rules_citing(article: str) -> set[str]:
    use = next(u for u in articles_in_use(RULEBOOK) if u.article.id == article)
    return {f"{rule.kind}:{rule.id}" for rule in use.rules}


def test_000_latvian_five_ways_is_cited_by_the_rules_that_claim_it() -> None:
    assert rules_citing(A000) == {
        "tactic:listen",
        "tactic:ask_questions",
        "tactic:empathize",
        "tactic:apologize",
        "tactic:offer_solution",
        "tactic:set_deadline",
        "tactic:give_contact",
        "tactic:interrupt",
        "tactic:keep_promise",
        "tactic:normalize_mistake",
        "tactic:tell_wrong",
        "context rule:apology_repeated",
        "context rule:apology_again_unwanted",
        "context rule:apology_not_wanted",
        "context rule:solution_before_hearing",
        "at the end:promise_unkept",
        "outcome:stays",
    }
    assert "pelnījis vismaz atvainošanos" in cited_quote("tactic", "apologize", A000, "owed").original
    # The apology belongs at the start, and the customer may say they want a solution instead.
    for rule in ("apology_repeated", "apology_again_unwanted", "apology_not_wanted"):
        assert "gribu problēmas risinājumu" in cited_quote("context rule", rule, A000, "at_the_start").original
    assert "konkrēta laika" in cited_quote("tactic", "set_deadline", A000, "give_a_time").original
    assert "papildus laika" in cited_quote("at the end", "promise_unkept", A000, "if_it_slips").original
    assert "tikai tad sāciet runāt" in cited_quote("tactic", "interrupt", A000, "until_done").original
    # The opening: even a customer who is wrong must be made to feel good; who is at fault is not the priority.
    assert "jāliek viņam justies labi" in cited_quote("tactic", "normalize_mistake", A000, "feel_good").original
    assert "nevajadzētu būt Jūsu prioritātei" in cited_quote("tactic", "tell_wrong", A000, "fault_not_priority").original


def test_001_estonian_five_situations_is_cited_by_the_rules_that_claim_it() -> None:
    assert rules_citing(A001) == {
        "tactic:find_out",
        "tactic:admit_ignorance",
        "tactic:positive_framing",
        "tactic:negative_tone",
        "tactic:warm_transfer",
        "tactic:cold_transfer",
        "tactic:decline_with_reason",
        "tactic:offer_alternative",
        "tactic:break_rule",
        "tactic:explain_cause",
        "tactic:take_responsibility",
        "context rule:hurry_transfer",
        "context rule:no_with_alternative",
        "context rule:empathy_explanation_fix",
    }
    assert "ma nüüd täpselt ei tea" in cited_quote("tactic", "admit_ignorance", A001, "biggest_mistake").original
    assert "negatiivseid väljendeid" in cited_quote("tactic", "negative_tone", A001, "positive_tone").original
    assert "ei seleta kliendile, miks" in cited_quote("tactic", "cold_transfer", A001, "no_reason").original
    # A customer short of time: the reason-less transfer means being shunted around "for a long time yet".
    assert "veel väga pikka aega" in cited_quote("context rule", "hurry_transfer", A001, "passed_around").original
    assert "kolm eesmärki" in cited_quote("context rule", "empathy_explanation_fix", A001, "three_goals").original


def test_001_situation_4_bending_a_rule_harms_other_customers() -> None:
    # The hotel cat: saying yes to the couple would have angered the guests allergic to cats.
    harm = cited_quote("tactic", "break_rule", A001, "the_allergic_guests")
    assert "esimese grupi välja vihastanud" in harm.original and "suurema kahju kui üks pettunud klient" in harm.original
    assert "kassiallergia" in LIBRARY[A001].section_text("1. Kui kliendid küsivad teeneid, mida ei anna pakkuda..")
    assert "other customers" in RULEBOOK.tactics["break_rule"].explain and "harms them" in RULEBOOK.tactics["break_rule"].explain
    protects = cited_quote("tactic", "decline_with_reason", A001, "rule_protects_others")
    assert "teistele klientidele" in protects.original and "other guests" in protects.english
    assert "other customers" in RULEBOOK.tactics["decline_with_reason"].explain
    assert RULEBOOK.tactics["break_rule"].kind == "warned"


def test_002_croatian_complaints_is_cited_by_the_rules_that_claim_it() -> None:
    assert rules_citing(A002) == {
        "tactic:listen",
        "tactic:empathize",
        "tactic:apologize",
        "tactic:offer_solution",
        "tactic:take_responsibility",
        "tactic:respond_quickly",
        "tactic:thank_customer",
        "tactic:offer_compensation",
        "tactic:offer_new_terms",
        "tactic:make_promise",
        "tactic:keep_promise",
        "tactic:cite_contract",
        "tactic:blame_management",
        "tactic:refer_to_website",
        "tactic:blame_supplier",
        "tactic:delay_reply",
        "tactic:retaliate",
        "tactic:get_defensive",
        "context rule:promise_not_open",
        "context rule:insult_returned",
        "context rule:loyal_contract",
        "context rule:public_fast_answer",
        "context rule:public_silence",
        "context rule:wrong_explored",
        "trait:public",
        "at the end:promise_unkept",
        "outcome:recommends",
        "outcome:leaves",
        "outcome:leaves_complains",
        "ceiling:warned_reply",
    }
    assert "pobijedite u prvom krugu" in cited_quote("tactic", "cite_contract", A002, "first_round").original
    assert "šutiranima" in cited_quote("tactic", "refer_to_website", A002, "kicked_out").original
    assert cited_quote("tactic", "keep_promise", A002, "keep_promises").original == "Držite svoja obećanja."


def test_002_useful_conclusions_and_a_second_article_give_the_same_advice() -> None:
    # Where the Latvian five ways and the Croatian useful conclusions agree, a rule cites both.
    for rule, point_quote in (
        ("listen", "show_you_care"),
        ("empathize", "their_shoes"),
        ("apologize", "apologise"),
        ("offer_solution", "suggest_solutions"),
    ):
        assert {a for a, _ in quotes_of("tactic", rule)} == {"000", "002"}
        assert ("002", point_quote) in quotes_of("tactic", rule)
    assert ("002", "realises_he_is_wrong") in quotes_of("context rule", "wrong_explored")
    assert ("004", "sees_it_themselves") in quotes_of("context rule", "wrong_explored")


def test_002_each_outcome_cites_a_passage_that_says_it() -> None:
    recommends = cited_quote("outcome", "recommends", A002, "recommends_you")
    assert "preporučiti svojim prijateljima" in recommends.original and "recommend you to their friends" in recommends.english
    assert "web" not in recommends.original  # the good reply, not the "it's on the website" one
    public = cited_quote("outcome", "leaves_complains", A002, "share_it")
    assert "s prijateljima" in public.original and "u društvenim mrežama" in public.original
    assert "napustiti svoje usluge" in cited_quote("outcome", "leaves", A002, "leave_altogether").original
    assert "uniknąć konfrontacji" in cited_quote("outcome", "stays_wary", A004, "avoids_you").original
    assert (
        "nie stracimy tego klienta na rzecz konkurencji" in cited_quote("outcome", "stays", A003, "thank_their_loyalty").original
    )
    assert "lojalitāti" in cited_quote("outcome", "stays", A000, "loyalty").original


def test_003_polish_difficult_customer_is_cited_by_the_rules_that_claim_it() -> None:
    assert rules_citing(A003) == {
        "tactic:stay_calm",
        "tactic:set_boundary",
        "tactic:give_in",
        "tactic:thank_customer",
        "tactic:reassure",
        "tactic:dismiss_problem",
        "tactic:get_defensive",
        "tactic:explain_cause",
        "tactic:make_excuses",
        "tactic:blame_supplier",
        "tactic:offer_compensation",
        "tactic:reckless_promise",
        "context rule:calm_under_fire",
        "context rule:insult_met_calmly",
        "context rule:abuse_tolerated",
        "context rule:loyal_thanked",
        "context rule:loyal_contract",
        "trait:abusive",
        "trait:regular",
        "trait:in_a_hurry",
        "at the end:reckless_promise_broken",
        "walking out:walkout",
        "outcome:stays",
    }
    assert "lekkomyślne obiecywanie" in cited_quote("tactic", "reckless_promise", A003, "reckless").original
    assert "uległy" in cited_quote("tactic", "give_in", A003, "not_submissive").original


def test_003_the_hurried_customer_and_the_walk_out_cite_what_the_text_says() -> None:
    # No article says a hurried customer wants fewer questions or values a fix more, so no rule claims it.
    assert {m.id for m in RULEBOOK.modifiers if "in_a_hurry" in m.when.text} == {"hurry_transfer"}
    hurried = cited_quote("trait", "in_a_hurry", A003, "busy_and_stressed")
    assert "zapracowani i zestresowani" in hurried.original
    walkout = cited_quote("walking out", "walkout", A003, "busy_and_stressed")
    assert "puszczą nerwy" in walkout.original
    assert "nie stracić klienta" in cited_quote("walking out", "walkout", A003, "worth_keeping").original


def test_004_polish_always_right_is_cited_by_the_rules_that_claim_it() -> None:
    assert rules_citing(A004) == {
        "tactic:agree_when_wrong",
        "tactic:tell_wrong",
        "tactic:lecture",
        "tactic:explore_together",
        "tactic:guide_gently",
        "tactic:normalize_mistake",
        "tactic:stay_calm",
        "tactic:set_boundary",
        "tactic:give_in",
        "context rule:wrong_told_wrong",
        "context rule:wrong_explored",
        "context rule:wrong_guided",
        "context rule:wrong_agreed",
        "trait:mistaken",
        "outcome:stays_wary",
        "ceiling:warned_reply",
        "ceiling:warned_replies",
    }
    assert "To błąd." in cited_quote("tactic", "agree_when_wrong", A004, "nodding_along").original
    assert "upór klienta" in cited_quote("tactic", "tell_wrong", A004, "digs_in").original
    assert "już na zawsze" in cited_quote("ceiling", "warned_reply", A004, "lost_for_good").original


def test_004_closing_and_003_agree_assertive_but_calm() -> None:
    closing = LIBRARY[A004].section("closing")
    assert closing is not None and closing.heading is None
    for rule in ("stay_calm", "set_boundary", "give_in"):
        assert ("004", "assertive_and_calm") in quotes_of("tactic", rule)
        assert any(article == "003" for article, _ in quotes_of("tactic", rule))
    assert "wszedł nam na głowę" in cited_quote("tactic", "give_in", A004, "assertive_and_calm").original


@pytest.mark.parametrize("language", ["lv", "et", "hr", "pl"])
def test_context_rules_settlements_and_ceilings_are_named_in_each_language(language) -> None:
    from roleplay.rules.text_layer import translated_rulebook

    rulebook = translated_rulebook(language)
    named = [*rulebook.modifiers, *rulebook.settlement, *rulebook.ceilings]
    english = {rule.id: rule.name for rule in (*RULEBOOK.modifiers, *RULEBOOK.settlement, *RULEBOOK.ceilings)}
    assert len(named) == len(english) > 20
    untranslated = [rule.id for rule in named if not rule.label or rule.name == english[rule.id]]
    assert untranslated == []
    by_id = {(rule.kind, rule.id): rule.name for rule in cited_rules(rulebook)}
    assert (
        by_id[("context rule", "solution_before_hearing")]
        == {
            "lv": "risinājums pirms uzklausīšanas",
            "et": "lahendus enne ärakuulamist",
            "hr": "rješenje prije saslušanja",
            "pl": "rozwiązanie przed wysłuchaniem",
        }[language]
    )
    assert english["solution_before_hearing"] == "solution before hearing"
