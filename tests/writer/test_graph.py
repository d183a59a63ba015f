"""'roleplay graph': the branch graph as Mermaid and DOT, exactly."""

from __future__ import annotations

from tests.writer.conftest import FIXTURES

SMALL = str(FIXTURES / "small.yaml")

MERMAID = """\
flowchart TD
    n0["opening"]:::start
    n1(["resolved"]):::ending
    n2(["walks_out (walkout)"]):::walkout
    n0 -->|"1. apologize, empathize +16"| n1
    n0 -.->|"2. blame_supplier -6; if mood #lt; 15"| n2
    n0 -.->|"2. blame_supplier -6; otherwise"| n0
    n0 -.->|"3. offer_solution +12; when mood #gt;= 40"| n1
    classDef step fill:#f4f4f4,stroke:#555
    classDef start fill:#f4f4f4,stroke:#000,stroke-width:3px
    classDef ending fill:#e3f2e1,stroke:#2e7d32
    classDef walkout fill:#fbe4e4,stroke:#c62828,stroke-width:2px
"""

DOT = """\
digraph "Small" {
    node [fontname="Helvetica"];
    edge [fontname="Helvetica", fontsize=10];
    "opening" [label="opening", shape=box, style=bold];
    "resolved" [label="resolved", shape=box, style="rounded,filled", fillcolor="#e3f2e1", color="#2e7d32"];
    "walks_out" [label="walks_out\\n(walkout)", shape=box, style="rounded,filled,bold", fillcolor="#fbe4e4", color="#c62828"];
    "opening" -> "resolved" [label="1. apologize, empathize +16"];
    "opening" -> "walks_out" [label="2. blame_supplier -6; if mood < 15", style=dashed];
    "opening" -> "opening" [label="2. blame_supplier -6; otherwise", style=dashed];
    "opening" -> "resolved" [label="3. offer_solution +12; when mood >= 40", style=dashed];
}
"""


def test_mermaid_is_the_default(cli) -> None:
    assert cli("graph", SMALL) == (0, MERMAID, "")
    assert cli("graph", SMALL, "--format", "mermaid") == (0, MERMAID, "")


def test_dot(cli) -> None:
    assert cli("graph", SMALL, "--format", "dot") == (0, DOT, "")


def test_neutral_replies_and_quotes_in_titles(cli, tmp_path) -> None:
    text = (FIXTURES / "small.yaml").read_text(encoding="utf-8")
    text = text.replace("title: Small", "title: 'The \"small\" one'").replace("tactics: [apologize, empathize]", "tactics: []")
    path = tmp_path / "quoted.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("graph", str(path), "--format", "dot")
    assert code == 0 and out.startswith('digraph "The \\"small\\" one" {')
    assert '[label="1. no tactic +0"]' in out


def test_an_unknown_format_is_a_usage_error(cli, capsys) -> None:
    import pytest

    with pytest.raises(SystemExit) as exit:
        cli("graph", SMALL, "--format", "svg")
    assert exit.value.code == 2


def test_a_story_with_errors_exits_1(cli, tmp_path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("title: [\n", encoding="utf-8")
    code, out, err = cli("graph", str(path))
    assert code == 1 and out == "" and "YAML syntax error" in err
