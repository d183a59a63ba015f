"""Loading a story side by side with inkjs compiling the same story written in ink.

Used by ``analysis_scaling.py --ink``. The ink version keeps what the loader has to
read and check: one knot per node with the customer's words, one sticky choice per
reply (its condition as an ink condition, its tactics as changes to mood and
loyalty and counts, its flags), and each ``next`` as a conditional divert, with
endings diverting to END. inkjs is installed from the npm registry into a temporary
folder; node runs the compiler in a child process that reports its own times and
peak memory.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from roleplay.rules.rulebook import Rulebook
from roleplay.story.model import Story

INKJS_VERSION = "2.4.0"

_NODE_SCRIPT = r"""
const fs = require('fs');
const { Compiler } = require('inkjs/compiler/Compiler');
const source = fs.readFileSync(process.argv[2], 'utf8');
const repeat = parseInt(process.argv[3], 10);
const times = [];
const cpus = [];
for (let i = 0; i < repeat; i++) {
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  const compiler = new Compiler(source);
  const story = compiler.Compile();
  if (!story || compiler.errors.length) { console.error(compiler.errors.slice(0, 5).join('\n')); process.exit(1); }
  times.push(Number(process.hrtime.bigint() - started) / 1e9);
  const cpu = process.cpuUsage(cpuStarted);
  cpus.push((cpu.user + cpu.system) / 1e6);
}
console.log(JSON.stringify({ seconds: Math.min(...times), cpu: Math.min(...cpus), first: times[0], peak_kb: process.resourceUsage().maxRSS }));
"""


def _ink_name(node_id: str) -> str:
    return "k_" + re.sub(r"[^A-Za-z0-9_]", "_", node_id)


def _ink_condition(text: str, traits: frozenset[str]) -> str:
    text = re.sub(r"\bflag\((\w+)\)", r"flag_\1", text)
    text = re.sub(r"\bused\((\w+)\)", r"(count_\1 > 0)", text)
    text = re.sub(r"\bcount\((\w+)\)", r"count_\1", text)
    text = re.sub(r"\btrait\((\w+)\)", lambda m: "true" if m.group(1) in traits else "false", text)
    return text


def _ink_text(text: str) -> str:
    """Words as ink shows them: characters ink reads as markup are escaped."""
    return re.sub(r"([\[\]{}|#\\<>~*+\-=/])", r"\\\1", " ".join(text.split()))


def story_as_ink(story: Story, rulebook: Rulebook) -> str:
    """The ink source of a story: the same nodes, replies, conditions, effects and branches."""
    traits = frozenset(story.customer.traits)
    flags = sorted({flag for node in story.nodes.values() for flag in (*node.sets, *(f for c in node.choices for f in c.sets))})
    tactics = sorted({t for node in story.nodes.values() for c in node.choices for t in c.tactics})
    lines = [f"VAR mood = {story.customer.mood}", f"VAR loyalty = {story.customer.loyalty}", "VAR turn = 0"]
    lines += [f"VAR flag_{flag} = false" for flag in flags]
    lines += [f"VAR count_{tactic} = 0" for tactic in tactics]
    lines += [f"VAR {counter} = 0" for counter in rulebook.counters]
    lines += [f"-> {_ink_name(story.start)}", ""]
    for node in story.nodes.values():
        lines.append(f"=== {_ink_name(node.id)} ===")
        lines += [_ink_text(line) for line in node.say]
        for flag in node.sets:
            lines.append(f"~ flag_{flag} = true")
        if node.end or not node.choices:
            lines += ["-> END", ""]
            continue
        for choice in node.choices:
            condition = f"{{{_ink_condition(choice.condition.text, traits)}}} " if choice.condition is not None else ""
            lines.append(f"+ {condition}[{_ink_text(choice.reply)}]")
            mood = sum(rulebook.tactics[t].mood for t in choice.tactics)
            loyalty = sum(rulebook.tactics[t].loyalty for t in choice.tactics)
            lines += [f"  ~ mood = mood + {mood}", f"  ~ loyalty = loyalty + {loyalty}", "  ~ turn = turn + 1"]
            lines += [f"  ~ count_{t} = count_{t} + 1" for t in choice.tactics]
            lines += [f"  ~ flag_{flag} = true" for flag in choice.sets]
            if len(choice.branches) == 1 and choice.branches[0].condition is None:
                lines.append(f"  -> {_ink_name(choice.branches[0].goto)}")
                continue
            lines.append("  {")
            for branch in choice.branches:
                if branch.condition is None:
                    lines.append(f"    - else: -> {_ink_name(branch.goto)}")
                else:
                    lines.append(f"    - {_ink_condition(branch.condition.text, traits)}: -> {_ink_name(branch.goto)}")
            lines.append("  }")
            if choice.branches[-1].condition is not None:
                lines.append("  -> END")
        lines.append("")
    return "\n".join(lines) + "\n"


def compile_with_inkjs(story: Story, rulebook: Rulebook, repeat: int) -> dict | str:
    """inkjs's best compile time of the story's ink version, with its process's peak memory;
    a sentence saying why not when node, npm or the package is missing."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return "node and npm are not on this machine"
    with tempfile.TemporaryDirectory() as folder:
        where = Path(folder)
        installed = subprocess.run(
            [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(where), f"inkjs@{INKJS_VERSION}"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if installed.returncode != 0:
            return f"npm could not install inkjs: {installed.stderr.strip()[:200]}"
        (where / "story.ink").write_text(story_as_ink(story, rulebook), encoding="utf-8")
        (where / "compile.js").write_text(_NODE_SCRIPT, encoding="utf-8")
        ran = subprocess.run(
            [node, "--max-old-space-size=8192", str(where / "compile.js"), str(where / "story.ink"), str(repeat)],
            capture_output=True,
            text=True,
            cwd=where,
            timeout=1800,
        )
        if ran.returncode != 0:
            return f"inkjs failed: {ran.stderr.strip()[:300]}"
        result = json.loads(ran.stdout.strip().splitlines()[-1])
        result["ink_bytes"] = (where / "story.ink").stat().st_size
        return result


_LOAD_SCRIPT = r"""
import json, resource, sys, time, gc
from roleplay.rules.rulebook import default_rulebook
from roleplay.play.validation import validate_file
default_rulebook()
times, cpus = [], []
for _ in range(int(sys.argv[2])):
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    result = validate_file(sys.argv[1])
    times.append(time.perf_counter() - started)
    cpus.append(time.process_time() - cpu)
    assert result.story is not None, result.errors[:3]
    del result
print(json.dumps({"seconds": min(times), "cpu": min(cpus), "first": times[0], "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def load_in_child(path: Path, repeat: int) -> dict:
    """roleplay's best load-and-validate time of a story file, in a child process, with its peak memory."""
    ran = subprocess.run(
        [sys.executable, "-c", _LOAD_SCRIPT, str(path), str(repeat)], capture_output=True, text=True, timeout=1800
    )
    if ran.returncode != 0:
        raise RuntimeError(ran.stderr.strip()[-500:])
    return json.loads(ran.stdout.strip().splitlines()[-1])
