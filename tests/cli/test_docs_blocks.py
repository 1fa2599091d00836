"""Every command block of README.md and docs/*.md runs as written and does what its text claims.

A user runs the documents' commands from the repository's root, in a shell where the project's
virtual environment is active (README, "Use").  So does this test: each document runs in a fresh
directory holding what a clone holds (the tracked files), with `.venv` there pointing at the
virtual environment running the tests and its bin first on PATH.  A document's blocks run in
order in one directory, so a block may use what an earlier one wrote (docs/batch.md generates
cases.jsonl, then decides it); documents run side by side.

Blocks, by the language tag of their fence:

* `sh`, `bash`, `shell`: every logical line (a trailing `\\` continues it; `#` comments and blank
  lines aside) is a command.  One bash runs the block, so `. .venv/bin/activate` holds for the
  lines after it; each command must exit 0 unless the block's expectation says otherwise.
* `console`: the `$ COMMAND` lines run likewise, and the lines after one are what it prints: each
  must be a line of its output (stdout, then stderr), in order; `...` stands for any text, within a
  line or, alone, for any lines.
* `python`: a doctest (`>>>`) runs as one (`python -m doctest`); other code runs as a script.
* no tag: a command block, as `sh`, when its first word is a command (`ordinance`, `clingo`,
  `python`); any other untagged block fails the test, asking for a tag such as `text`.
* any other tag (`text` for output, `json`, `yaml`, `prolog`, ...): shown, not run.

What the text claims next to a block is written in an HTML comment right before it:

    <!-- expect: [2] exit=1; [2] stdout contains "conflict"; creates report.html -->

clauses separated by `;`: `exit=N`, `stdout|stderr|output contains|lacks|matches "TEXT"` (`matches`:
TEXT is a regular expression, `^` and `$` at line ends; a `"` in TEXT is written `\\"`),
`creates PATH` (relative to the directory the block runs in) and `needs PROGRAM` (the block is
skipped where PROGRAM is not installed; `clingo` lines need it without saying so).
A clause holds for every command of the block or, after `[N]`, for its N-th command (from 1).
`<!-- not run: REASON -->` shows a block without running it (the README's set-up line, which
.ci/run and tests/cli/test_readme.py cover).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import ROOT

#: The documents whose blocks a user runs.
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: Fence tags whose blocks are shell commands.
SHELL_TAGS = {"sh", "bash", "shell"}
#: First words that make an untagged block a command block.
COMMAND_WORDS = {"ordinance", "clingo", "python", "python3"}
#: A block that runs longer fails (the documents' examples are kept small enough to run).
BLOCK_TIMEOUT = 300

_FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
_COMMENT_BEFORE = re.compile(r"<!--(?P<body>(?:(?!<!--).)*?)-->\s*\Z", re.DOTALL)
_CLAUSE = re.compile(r'(?:\[(?P<index>\d+)\]\s*)?(?:exit=(?P<exit>\d+)'
                     r'|(?P<stream>stdout|stderr|output) (?P<verb>contains|lacks|matches) "(?P<text>(?:[^"\\]|\\.)*)"'
                     r'|creates (?P<creates>\S+)|needs (?P<needs>[\w.-]+))')


@dataclass(frozen=True)
class Clause:
    """One claim of an expectation comment, for the command numbered `index` (None: every one)."""

    index: int | None
    exit: int | None = None
    stream: str | None = None
    verb: str = "contains"  # contains, lacks, matches (TEXT is a regular expression, searched line by line)
    text: str = ""
    creates: str | None = None


@dataclass
class Block:
    """A fenced block of a document, with what the comment before it says."""

    document: str
    line: int
    tag: str
    text: str
    clauses: list[Clause] = field(default_factory=list)
    needs: set[str] = field(default_factory=set)
    not_run: str | None = None
    problem: str | None = None  # a block the test cannot read: fails with this message

    @property
    def id(self) -> str:
        return f"{self.document}:{self.line}"

    @property
    def kind(self) -> str | None:
        """How the block runs: shell, console, doctest, script; None: it is not run."""
        if self.tag in SHELL_TAGS:
            return "shell"
        if self.tag == "console":
            return "console"
        if self.tag == "python":
            return "doctest" if re.search(r"^\s*>>> ", self.text, re.MULTILINE) else "script"
        if not self.tag and self.text.split()[:1] and self.text.split()[0] in COMMAND_WORDS:
            return "shell"
        return None


@dataclass
class Ran:
    """What one command of a block printed and how it exited."""

    command: str
    status: int
    stdout: str
    stderr: str


@dataclass
class Outcome:
    """A block's commands as run, or why the block was not run."""

    commands: list[Ran] = field(default_factory=list)
    skipped: str | None = None
    failure: str | None = None  # the block did not finish (timeout)
    created: dict[str, bool] = field(default_factory=dict)  # `creates PATH`: PATH existed after it


def parse_clauses(body: str, where: str) -> tuple[list[Clause], set[str]]:
    """The clauses of `<!-- expect: ... -->`; an unreadable clause is an error, never ignored."""
    clauses, needs = [], set()
    for raw in filter(None, (part.strip() for part in re.split(r';(?=(?:[^"\\]|\\.|"(?:[^"\\]|\\.)*")*$)', body))):
        match = _CLAUSE.fullmatch(raw)
        if match is None:
            raise ValueError(f"{where}: cannot read the expectation clause {raw!r} (see {__name__})")
        index = int(match["index"]) if match["index"] else None
        if match["needs"]:
            needs.add(match["needs"])
        elif match["exit"] is not None:
            clauses.append(Clause(index, exit=int(match["exit"])))
        elif match["creates"]:
            clauses.append(Clause(index, creates=match["creates"]))
        else:
            clauses.append(Clause(index, stream=match["stream"], verb=match["verb"],
                                  text=match["text"].replace('\\"', '"')))
    return clauses, needs


def read_blocks(path: Path) -> list[Block]:
    """The fenced blocks of a document, each with the expectation written before it."""
    source = path.read_text(encoding="utf-8")
    blocks = []
    for fence in _FENCE.finditer(source):
        block = Block(str(path.relative_to(ROOT)), source.count("\n", 0, fence.start()) + 1,
                      fence[1], fence[2])
        comment = _COMMENT_BEFORE.search(source, 0, fence.start())
        body = comment["body"].strip() if comment else ""
        if body.startswith("not run:"):
            block.not_run = body.removeprefix("not run:").strip()
        elif body.startswith("expect:"):
            try:
                block.clauses, block.needs = parse_clauses(body.removeprefix("expect:"), block.id)
            except ValueError as error:
                block.problem = str(error)
        if not block.tag and block.kind is None:
            block.problem = (f"{block.id}: an untagged block that is not a command; tag it (```text for "
                             "output, ```json, ```yaml, ...) or start it with a command")
        elif block.kind is None and (block.clauses or block.needs):
            block.problem = f"{block.id}: an expectation before a block that is not run (```{block.tag})"
        blocks.append(block)
    return blocks


def commands_of(block: Block) -> list[tuple[str, list[str]]]:
    """The commands of a shell or console block, each with the output lines shown after it."""
    commands: list[tuple[str, list[str]]] = []
    pending = ""
    for line in block.text.splitlines():
        if block.kind == "console" and not line.startswith("$ ") and not pending:
            if commands:
                commands[-1][1].append(line)
            continue
        text = line.removeprefix("$ ") if block.kind == "console" and not pending else line
        if not pending and (not text.strip() or text.lstrip().startswith("#")):
            continue
        if text.endswith("\\"):
            pending += text[:-1] + " "
            continue
        commands.append((pending + text, []))
        pending = ""
    return commands


def needed_programs(block: Block) -> set[str]:
    """Programs a block needs that a user may not have installed."""
    if block.kind not in ("shell", "console"):
        return set(block.needs)
    return set(block.needs) | {"clingo" for command, _ in commands_of(block) if command.split()[0] == "clingo"}


def user_directory(base: Path) -> Path:
    """A directory holding what a clone of the repository holds, with `.venv` as a user has it."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode().split("\0")):
        if name.startswith("tests/") or not (ROOT / name).is_file():
            continue  # a user runs no test fixture; a file deleted in the work tree is gone
        (base / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, base / name)
    venv = Path(sys.prefix)
    if venv != Path(sys.base_prefix):
        (base / ".venv").symlink_to(venv, target_is_directory=True)
    else:  # the tests run outside a virtual environment: `activate` only puts this Python first
        (base / ".venv" / "bin").mkdir(parents=True)
        (base / ".venv" / "bin" / "activate").write_text(f'PATH="{Path(sys.executable).parent}:$PATH"\n')
    return base


def user_environment() -> dict[str, str]:
    """The environment of an activated venv: its bin first on PATH, nothing of the test run."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTEST", "PYTHON", "ORDINANCE_", "COV_")) and key != "VIRTUAL_ENV"}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    if sys.prefix != sys.base_prefix:
        env["VIRTUAL_ENV"] = sys.prefix
    env["COLUMNS"] = "100"
    return env


def run_shell(block: Block, directory: Path, env: dict[str, str]) -> list[Ran]:
    """The block's commands in one bash, each one's output and status read back between markers."""
    mark = f"@@doc-block-{secrets.token_hex(8)}"
    commands = [command for command, _ in commands_of(block)]
    lines = ["set -o pipefail"]
    for number, command in enumerate(commands):
        lines += [f"printf '{mark} {number} begin\\n'; printf '{mark} {number} begin\\n' >&2",
                  command,
                  f"printf '\\n{mark} {number} status %d\\n' $?; printf '\\n{mark} {number} end\\n' >&2"]
    done = subprocess.run(["bash", "-c", "\n".join(lines)], cwd=directory, env=env, capture_output=True,
                          text=True, timeout=BLOCK_TIMEOUT)
    outs = {int(n): (text, int(status)) for n, text, status in
            re.findall(rf"{mark} (\d+) begin\n(.*?)\n{mark} \1 status (\d+)\n", done.stdout, re.DOTALL)}
    errs = {int(n): text for n, text in re.findall(rf"{mark} (\d+) begin\n(.*?)\n{mark} \1 end\n",
                                                   done.stderr, re.DOTALL)}
    return [Ran(command, outs.get(number, ("", -1))[1], outs.get(number, ("", ""))[0], errs.get(number, done.stderr))
            for number, command in enumerate(commands)]


def run_python(block: Block, directory: Path, env: dict[str, str]) -> list[Ran]:
    """A python block as a user runs it: a script (`python FILE`) or a doctest."""
    script = directory / f"doc_block_{block.line}.{'txt' if block.kind == 'doctest' else 'py'}"
    script.write_text(block.text, encoding="utf-8")
    command = ["python", "-m", "doctest", script.name] if block.kind == "doctest" else ["python", script.name]
    done = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True, timeout=BLOCK_TIMEOUT)
    return [Ran(" ".join(command), done.returncode, done.stdout, done.stderr)]


def run_document(path: Path, base: Path) -> dict[str, Outcome]:
    """Every block of one document, in order, in one user directory."""
    directory = user_directory(base)
    env = user_environment()
    outcomes: dict[str, Outcome] = {}
    for block in read_blocks(path):
        if block.kind is None or block.not_run or block.problem:
            continue
        missing = sorted(program for program in needed_programs(block) if shutil.which(program) is None)
        if missing:
            outcomes[block.id] = Outcome(skipped=f"not installed: {', '.join(missing)}")
            continue
        runner = run_python if block.kind in ("doctest", "script") else run_shell
        try:
            outcome = Outcome(runner(block, directory, env))
        except subprocess.TimeoutExpired:
            outcome = Outcome(failure=f"{block.id}: did not finish in {BLOCK_TIMEOUT} s")
        outcome.created = {clause.creates: (directory / clause.creates).exists()
                           for clause in block.clauses if clause.creates}
        outcomes[block.id] = outcome
    return outcomes


ALL_BLOCKS = [block for document in DOCUMENTS for block in read_blocks(document)]
RUN_BLOCKS = [block for block in ALL_BLOCKS if (block.kind is not None and not block.not_run) or block.problem]


@pytest.fixture(scope="module")
def outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Future]:
    """The documents of the selected blocks, run side by side (each a future of its outcomes)."""
    chosen = {item.callspec.params["block"].document for item in request.session.items
              if getattr(item, "module", None) is request.module and "block" in getattr(getattr(item, "callspec", None), "params", {})}
    pool = ThreadPoolExecutor(max_workers=max(2, min(len(chosen), os.cpu_count() or 2)))
    request.addfinalizer(lambda: pool.shutdown(cancel_futures=True))
    return {document: pool.submit(run_document, ROOT / document,
                                  tmp_path_factory.mktemp(Path(document).stem, numbered=True))
            for document in sorted(chosen)}


def matches(pattern: str, line: str) -> bool:
    """A line shown in a console block against one printed: `...` stands for any text."""
    return re.fullmatch(".*?".join(map(re.escape, pattern.split("..."))), line) is not None


def check_console_output(command: str, shown: list[str], printed: str) -> None:
    """Each line shown after `$ command` is a line of its output, in order."""
    lines = printed.splitlines()
    position = 0
    for expected in (line.rstrip() for line in shown):
        if not expected or expected == "...":
            continue
        found = next((n for n in range(position, len(lines)) if matches(expected, lines[n].rstrip())), None)
        assert found is not None, f"`{command}` does not print, where the document shows it:\n{expected}\n" \
                                  f"--- it printed:\n{printed}"
        position = found + 1


def describe(ran: Ran) -> str:
    return f"`{ran.command}` exited {ran.status}\n--- stdout:\n{ran.stdout[-3000:]}\n--- stderr:\n{ran.stderr[-3000:]}"


@pytest.mark.parametrize("block", RUN_BLOCKS, ids=lambda block: block.id)
def test_block_runs_and_does_what_the_text_says(block: Block, outcomes: dict[str, Future]) -> None:
    assert block.problem is None, block.problem
    outcome = outcomes[block.document].result()[block.id]
    if outcome.skipped:
        pytest.skip(outcome.skipped)
    assert outcome.failure is None, outcome.failure
    ran = outcome.commands
    for clause in block.clauses:
        assert clause.index is None or 1 <= clause.index <= len(ran), \
            f"{block.id}: the expectation names command [{clause.index}] of {len(ran)}"
    for number, command in enumerate(ran, start=1):
        mine = [clause for clause in block.clauses if clause.index in (None, number)]
        statuses = [clause.exit for clause in mine if clause.exit is not None]
        assert command.status == (statuses[-1] if statuses else 0), describe(command)
        assert "Traceback (most recent call last)" not in command.stderr or block.kind == "doctest", describe(command)
        for clause in mine:
            if clause.stream:
                text = {"stdout": command.stdout, "stderr": command.stderr,
                        "output": command.stdout + command.stderr}[clause.stream]
                if clause.verb == "matches":
                    holds = re.search(clause.text, text, re.MULTILINE) is not None
                else:
                    holds = (clause.text in text) == (clause.verb == "contains")
                assert holds, f"expected: {clause.stream} {clause.verb} {clause.text!r}; " + describe(command)
    if block.kind == "console":
        for (command, shown), done in zip(commands_of(block), ran):
            check_console_output(command, shown, done.stdout + done.stderr)
    for path, existed in outcome.created.items():
        assert existed, f"{block.id}: the block should create {path}"
