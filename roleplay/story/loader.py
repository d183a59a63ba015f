"""Loading story files: YAML to the story model, with every error located and explained."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from roleplay.i18n import N_, Deferred
from roleplay.parsing.conditions import Condition
from roleplay.parsing.diagnostics import Diagnostic, Location, Severity, StoryError
from roleplay.parsing.fields import Entries, FieldReader, did_you_mean
from roleplay.parsing.yamlfile import gc_paused, read_yaml
from roleplay.rules.rulebook import Rulebook, default_rulebook
from roleplay.story.model import Branch, Choice, Customer, Playtest, Story
from roleplay.story.model import Node as StoryNode

STORY_FIELDS = ("title", "language", "summary", "sources", "customer", "start", "walkout", "nodes", "playtests")
PLAYTEST_FIELDS = ("choose", "outcome", "ending")
CUSTOMER_FIELDS = ("name", "about", "mood", "loyalty", "traits")
NODE_FIELDS = ("say", "choices", "end", "outcomes", "set", "clear")
CHOICE_FIELDS = ("reply", "tactics", "next", "if", "set", "clear")
BRANCH_FIELDS = ("if", "goto")


@dataclass
class LoadResult:
    """A story (None when it has errors) and everything found while loading it."""

    path: str
    story: Story | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def check_story_file(path: Path | str, rulebook: Rulebook | None = None) -> LoadResult:
    """Read and check a story file; never raises for a bad file."""
    path = str(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return LoadResult(
            path,
            None,
            [Diagnostic(Location(path), Deferred(N_("cannot read the file: {problem}"), problem=exc.strerror or str(exc)))],
        )
    return check_story_bytes(path, data, rulebook)


def check_story_bytes(path: str, data: bytes, rulebook: Rulebook | None = None) -> LoadResult:
    """Check story text already in memory (``path`` is only used in messages)."""
    with gc_paused():
        return _check_story_bytes(path, data, rulebook)


def _check_story_bytes(path: str, data: bytes, rulebook: Rulebook | None) -> LoadResult:
    document = read_yaml(path, data)
    if document.root is None:
        return LoadResult(path, None, document.diagnostics)
    reader = _StoryReader(path, rulebook or default_rulebook())
    story = reader.read(document.root)
    diagnostics = sorted(
        document.diagnostics + reader.diagnostics,
        key=lambda d: (d.location.line, d.location.column, d.severity is Severity.WARNING),
    )
    if any(d.severity is Severity.ERROR for d in diagnostics):
        story = None
    return LoadResult(path, story, diagnostics)


def load_story(path: Path | str, rulebook: Rulebook | None = None) -> Story:
    """Load a story file; raise :class:`StoryError` with every problem if it has errors."""
    result = check_story_file(path, rulebook)
    if result.story is None:
        raise StoryError(result.diagnostics)
    return result.story


class _StoryReader(FieldReader):
    def __init__(self, path: str, rulebook: Rulebook) -> None:
        super().__init__(path)
        self.rulebook = rulebook
        self.counters = frozenset(rulebook.counters)
        self.flags_set: set[str] = set()
        self.flags_tested: list[tuple[str, Location]] = []
        self.articles = rulebook.articles

    def read(self, root: Node) -> Story | None:
        if not isinstance(root, MappingNode):
            self.error(root, Deferred(N_("the top level of a story must be a mapping with title, customer, start and nodes")))
            return None
        top = self.mapping(root, Deferred(N_("the story")), known=STORY_FIELDS, required=("title", "customer", "start", "nodes"))
        assert top is not None
        title = self.text(top["title"][1], "title") if "title" in top else None
        language = self.text(top["language"][1], "language") if "language" in top else "en"
        summary = self.text(top["summary"][1], "summary") if "summary" in top else ""
        sources: tuple[str, ...] = ()
        if "sources" in top:
            sources = self.texts(top["sources"][1], "sources")
            for item, article in zip(_items(top["sources"][1]), sources, strict=False):
                if article not in self.articles:
                    self.error(
                        item,
                        Deferred(
                            N_("unknown article {article!r}{hint}; sources name article files, e.g. {example}"),
                            article=article,
                            hint=did_you_mean(article, self.articles),
                            example=min(self.articles),
                        ),
                    )
        customer = self.customer(top["customer"][1]) if "customer" in top else None

        nodes: dict[str, StoryNode] = {}
        node_entries = self.mapping(top["nodes"][1], "nodes") if "nodes" in top else None
        if node_entries is not None and not node_entries:
            self.error(top["nodes"][1], Deferred(N_("nodes is empty; a story needs at least one node")))
        for node_id, (key_node, value) in (node_entries or {}).items():
            if not node_id.replace("_", "a").replace("-", "a").isalnum():
                self.error(key_node, Deferred(N_("node id {node!r} must be made of letters, digits, '_' and '-'"), node=node_id))
                continue
            node = self.node(node_id, key_node, value)
            if node is not None:
                nodes[node_id] = node

        start = self.reference(top, "start", node_entries)
        walkout = self.reference(top, "walkout", node_entries) if "walkout" in top else None
        if walkout and walkout in nodes and not nodes[walkout].end:
            self.error(
                top["walkout"][1],
                Deferred(N_("the walkout node {node!r} must be an ending: add 'end: true' to it"), node=walkout),
            )
        if node_entries is not None:
            self.check_targets(nodes, node_entries)
            self.check_flags()
            if start in nodes:
                self.check_reachability(nodes, start, walkout, node_entries)
        playtests = self.playtests(top["playtests"][1], node_entries or {}) if "playtests" in top else ()
        if title is None or customer is None or start is None or language is None or summary is None:
            return None
        return Story(
            path=self.path,
            title=title,
            language=language,
            summary=summary,
            sources=sources,
            customer=customer,
            start=start,
            walkout=walkout,
            nodes=nodes,
            playtests=playtests,
        )

    # parts -------------------------------------------------------------------
    def customer(self, node: Node) -> Customer | None:
        entries = self.mapping(node, "customer", known=CUSTOMER_FIELDS, required=("name",))
        if entries is None or "name" not in entries:
            return None
        name = self.text(entries["name"][1], Deferred(N_("customer name")))
        about = self.text(entries["about"][1], Deferred(N_("customer about"))) if "about" in entries else ""
        mood = self.integer(entries["mood"][1], Deferred(N_("the starting mood")), 0, 100) if "mood" in entries else 50
        if mood == 0:
            self.error(
                entries["mood"][1],
                Deferred(N_("the starting mood is 0, so the customer would walk out at once; start at 1 or more")),
            )
        loyalty = (
            self.integer(entries["loyalty"][1], Deferred(N_("the starting loyalty")), 0, 100)
            if "loyalty" in entries
            else self.rulebook.default_loyalty
        )
        traits: tuple[str, ...] = ()
        if "traits" in entries:
            traits = self.names(entries["traits"][1], "traits", self.check_trait)
        if name is None or about is None or mood is None or loyalty is None:
            return None
        return Customer(name, about, mood, loyalty, traits)

    def check_trait(self, trait: str, node: Node) -> bool:
        if trait in self.rulebook.traits:
            return True
        known = ", ".join(sorted(self.rulebook.traits))
        self.error(
            node,
            Deferred(
                N_("unknown trait {trait!r}{hint}; the traits are {known}"),
                trait=trait,
                hint=did_you_mean(trait, self.rulebook.traits),
                known=known,
            ),
        )
        return False

    def check_tactic(self, tactic: str, node: Node) -> bool:
        if tactic in self.rulebook.tactics:
            return True
        self.error(
            node,
            Deferred(
                N_("unknown tactic {tactic!r}{hint}; 'roleplay rules' lists the tactics"),
                tactic=tactic,
                hint=did_you_mean(tactic, self.rulebook.tactics),
            ),
        )
        return False

    def flag_list(self, entries: Entries, key: str, what: str) -> tuple[str, ...]:
        if key not in entries:
            return ()
        flags = self.names(entries[key][1], what)
        if key == "set":
            self.flags_set.update(flags)
        return flags

    def node(self, node_id: str, key_node: Node, node: Node) -> StoryNode | None:
        what = Deferred(N_("node {node!r}"), node=node_id)
        entries = self.mapping(node, what, known=NODE_FIELDS, required=("say",))
        if entries is None:
            return None
        say = (
            self.texts(entries["say"][1], Deferred(N_("what the customer says in {what}"), what=what)) if "say" in entries else ()
        )
        end = self.boolean(entries["end"][1], "end") if "end" in entries else False
        choices: list[Choice] = []
        if "choices" in entries:
            if end:
                self.error(
                    entries["choices"][0],
                    Deferred(N_("{what} is an ending (end: true) and cannot also have choices; remove one"), what=what),
                )
            items = self.sequence(entries["choices"][1], Deferred(N_("the choices of {what}"), what=what)) or []
            if not items and not end:
                self.error(
                    entries["choices"][1],
                    Deferred(
                        N_("{what} has an empty list of choices; add a reply or make it an ending with 'end: true'"), what=what
                    ),
                )
            for index, item in enumerate(items):
                choice = self.choice(index, item, node_id)
                if choice is not None:
                    choices.append(choice)
        elif not end and end is not None:
            self.warning(
                key_node,
                Deferred(
                    N_(
                        "{what} has no choices and is not an ending: the conversation would stop here; add choices or 'end: true'"
                    ),
                    what=what,
                ),
            )
        sets = self.flag_list(entries, "set", Deferred(N_("the flags {what} sets"), what=what))
        clears = self.flag_list(entries, "clear", Deferred(N_("the flags {what} clears"), what=what))
        fits: tuple[str, ...] = ()
        if "outcomes" in entries:
            fits = self.names(entries["outcomes"][1], Deferred(N_("the outcomes {what} fits"), what=what), self.check_outcome)
            if not end:
                self.error(
                    entries["outcomes"][0],
                    Deferred(
                        N_("{what} is not an ending: only an ending (end: true) can say which outcomes its words fit"), what=what
                    ),
                )
        return StoryNode(node_id, say, tuple(choices), bool(end), sets, clears, self.where(key_node), fits)

    def check_outcome(self, outcome: str, node: Node) -> bool:
        outcomes = [o.id for o in self.rulebook.outcomes]
        if outcome in outcomes:
            return True
        self.error(node, _unknown_outcome(outcome, outcomes))
        return False

    def choice(self, index: int, node: Node, node_id: str) -> Choice | None:
        what = Deferred(N_("reply {number} of node {node!r}"), number=index + 1, node=node_id)
        entries = self.mapping(node, what, known=CHOICE_FIELDS, required=("reply", "tactics", "next"))
        if entries is None or not {"reply", "next"} <= entries.keys():
            return None
        reply = self.text(entries["reply"][1], Deferred(N_("the text of {what}"), what=what))
        tactics: tuple[str, ...] = ()
        if "tactics" in entries:
            tactics_node = entries["tactics"][1]
            if isinstance(tactics_node, ScalarNode) and tactics_node.tag.endswith(":null"):
                self.error(
                    tactics_node, Deferred(N_("tactics of {what} is empty: write 'tactics: []' for a neutral reply"), what=what)
                )
            else:
                tactics = self.names(tactics_node, Deferred(N_("the tactics of {what}"), what=what), self.check_tactic)
                if len(set(tactics)) != len(tactics):
                    self.error(
                        tactics_node, Deferred(N_("the tactics of {what} name the same tactic twice; list each once"), what=what)
                    )
        condition = (
            self.story_condition(entries["if"][1], Deferred(N_("the condition of {what}"), what=what))
            if "if" in entries
            else None
        )
        branches = self.branches(entries["next"][1], what)
        sets = self.flag_list(entries, "set", Deferred(N_("the flags {what} sets"), what=what))
        clears = self.flag_list(entries, "clear", Deferred(N_("the flags {what} clears"), what=what))
        if reply is None or branches is None:
            return None
        return Choice(index, reply, tactics, branches, condition, sets, clears, self.where(node))

    def branches(self, node: Node, what: str) -> tuple[Branch, ...] | None:
        if isinstance(node, ScalarNode):
            target = self.name(node, Deferred(N_("next of {what}"), what=what))
            return (Branch(target, None, self.where(node)),) if target else None
        if not isinstance(node, SequenceNode):
            self.error(node, Deferred(N_("next of {what} must be a node id or a list of 'if'/'goto' branches"), what=what))
            return None
        if not node.value:
            self.error(node, Deferred(N_("next of {what} is an empty list; give at least one 'goto'"), what=what))
            return None
        branches = []
        for position, item in enumerate(node.value):
            entries = self.mapping(item, Deferred(N_("a branch of {what}"), what=what), known=BRANCH_FIELDS, required=("goto",))
            if entries is None or "goto" not in entries:
                continue
            target = self.name(entries["goto"][1], "goto")
            condition = (
                self.story_condition(entries["if"][1], Deferred(N_("a branch of {what}"), what=what)) if "if" in entries else None
            )
            if condition is None and "if" not in entries and position < len(node.value) - 1:
                self.warning(
                    item, Deferred(N_("this branch of {what} has no 'if', so the branches after it are never taken"), what=what)
                )
            if target:
                branches.append(Branch(target, condition, self.where(entries["goto"][1])))
        if branches and branches[-1].condition is not None:
            self.warning(
                node,
                Deferred(
                    N_(
                        "the conditional next of {what} has no fallback: add a last branch with only 'goto' for when no condition holds"
                    ),
                    what=what,
                ),
            )
        return tuple(branches) if len(branches) == len(node.value) else None

    def story_condition(self, node: Node, what: str) -> Condition | None:
        condition = self.condition(node, what, self.counters)
        if condition is None:
            return None
        ok = True
        for reference in condition.references:
            where = self.offset_location(node, reference.offset)
            if reference.kind in ("used", "count", "with") and reference.name not in self.rulebook.tactics:
                self.error(
                    where,
                    Deferred(
                        N_("unknown tactic {tactic!r} in {what}{hint}"),
                        tactic=reference.name,
                        what=what,
                        hint=did_you_mean(reference.name, self.rulebook.tactics),
                    ),
                )
                ok = False
            elif reference.kind == "trait" and reference.name not in self.rulebook.traits:
                self.error(
                    where,
                    Deferred(
                        N_("unknown trait {trait!r} in {what}{hint}"),
                        trait=reference.name,
                        what=what,
                        hint=did_you_mean(reference.name, self.rulebook.traits),
                    ),
                )
                ok = False
            elif reference.kind == "flag":
                self.flags_tested.append((reference.name, where))
        return condition if ok else None

    def reference(self, top: Entries, key: str, node_entries: Entries | None) -> str | None:
        if key not in top:
            return None
        target = self.name(top[key][1], key)
        if target is None or node_entries is None:
            return target
        if target not in node_entries:
            self.error(
                top[key][1],
                Deferred(
                    N_("{key} names the node {node!r}, which does not exist{hint}"),
                    key=key,
                    node=target,
                    hint=did_you_mean(target, node_entries),
                ),
            )
            return None
        return target

    def playtests(self, node: Node, node_entries: Entries) -> tuple[Playtest, ...]:
        result = []
        outcomes = {outcome.id for outcome in self.rulebook.outcomes}
        for item in self.sequence(node, "playtests") or []:
            entries = self.mapping(item, Deferred(N_("a playtest")), known=PLAYTEST_FIELDS, required=("choose",))
            if not entries or "choose" not in entries:
                continue
            picks = self.picks(entries["choose"][1])
            outcome = self.name(entries["outcome"][1], "outcome") if "outcome" in entries else None
            if outcome is not None and outcome not in outcomes:
                self.error(
                    entries["outcome"][1],
                    _unknown_outcome(outcome, sorted(outcomes)),
                )
                outcome = None
            ending = self.name(entries["ending"][1], "ending") if "ending" in entries else None
            if ending is not None and ending not in node_entries:
                self.error(
                    entries["ending"][1],
                    Deferred(
                        N_("the ending {ending!r} is not a node of this story{hint}"),
                        ending=ending,
                        hint=did_you_mean(ending, node_entries),
                    ),
                )
                ending = None
            if outcome is None and ending is None and "outcome" not in entries and "ending" not in entries:
                self.error(item, Deferred(N_("a playtest needs an 'outcome' or an 'ending' to check")))
            if picks is not None:
                result.append(Playtest(picks, outcome, ending, self.where(item)))
        return tuple(result)

    def picks(self, node: Node) -> tuple[int, ...] | None:
        """Reply numbers as 'roleplay run --choose' takes them: "1,3,2" or a list."""
        if isinstance(node, SequenceNode):
            values = [self.integer(item, Deferred(N_("a pick")), 1, 99) for item in node.value]
            picks = tuple(value for value in values if value is not None)
            return picks if len(picks) == len(values) else None
        text = self.text(node, "choose")
        if text is None:
            return None
        try:
            picks = tuple(int(part) for part in str(text).split(","))
        except ValueError:
            picks = ()
        if not picks or min(picks) < 1:
            self.error(
                node, Deferred(N_('choose must be reply numbers separated by commas, like "1,3,2", not {text!r}'), text=text)
            )
            return None
        return picks

    # whole-story checks ------------------------------------------------------
    def check_targets(self, nodes: dict[str, StoryNode], node_entries: Entries) -> None:
        for node in nodes.values():
            for choice in node.choices:
                for branch in choice.branches:
                    if branch.goto not in node_entries:
                        self.error(
                            branch.location,
                            Deferred(
                                N_("reply {number} of node {node!r} goes to {goto!r}, which does not exist{hint}"),
                                number=choice.index + 1,
                                node=node.id,
                                goto=branch.goto,
                                hint=did_you_mean(branch.goto, node_entries),
                            ),
                        )

    def check_flags(self) -> None:
        for flag, where in self.flags_tested:
            if flag not in self.flags_set:
                self.warning(
                    where,
                    Deferred(
                        N_("the flag {flag!r} is tested but never set by any node or reply{hint}"),
                        flag=flag,
                        hint=did_you_mean(flag, self.flags_set),
                    ),
                )

    def check_reachability(self, nodes: dict[str, StoryNode], start: str, walkout: str | None, node_entries: Entries) -> None:
        reached = {start}
        if walkout:
            reached.add(walkout)
        frontier = list(reached)
        while frontier:
            node = nodes.get(frontier.pop())
            if node is None:
                continue
            for choice in node.choices:
                for branch in choice.branches:
                    if branch.goto not in reached:
                        reached.add(branch.goto)
                        frontier.append(branch.goto)
        for node_id, node in nodes.items():
            if node_id not in reached:
                self.warning(
                    node.location, Deferred(N_("node {node!r} cannot be reached from start {start!r}"), node=node_id, start=start)
                )
        if not any(nodes[n].end for n in reached if n in nodes):
            self.warning(
                node_entries[start][0], Deferred(N_("no ending can be reached from the start: add 'end: true' to a node"))
            )


def _unknown_outcome(outcome: str, outcomes: list[str]) -> Deferred:
    return Deferred(
        N_("unknown outcome {outcome!r}{hint}; the outcomes are {outcomes}"),
        outcome=outcome,
        hint=did_you_mean(outcome, outcomes),
        outcomes=", ".join(outcomes),
    )


def _items(node: Node) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else [node]
