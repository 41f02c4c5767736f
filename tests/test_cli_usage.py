"""The command line's own errors (a bad option value, an unknown option or command, a missing
argument) are one line on stderr and exit 2, like every other cxtext error; --help is unchanged.
They were typer's three-part output: a usage line, a hint and a boxed panel."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support import DEMO_CORPUS, REPO_ROOT, run_cli
from tests.test_cli import assert_one_error_line

DEMO = str(DEMO_CORPUS)
USAGE_ERRORS = {
    "bad integer": (
        ["analyze", DEMO, "--seed", "abc"],
        "invalid value for '--seed': 'abc': input should be a valid integer",
    ),
    "bad choice": (
        ["analyze", DEMO, "--log-format", "xml"],
        "invalid value for '--log-format': 'xml' is not one of 'text', 'json'",
    ),
    "unknown option": (["analyze", DEMO, "--sed", "3"], "no such option: --sed"),
    "option without its value": (["analyze", DEMO, "--out"], "option '--out' requires an argument"),
    "missing argument": (["analyze"], "missing argument 'INPUT'"),
    "unknown command": (["analyse", DEMO], "no such command 'analyse'"),
    "unknown themes command": (["themes", "delete", "run"], "no such command 'delete'"),
    "themes merge without INTO_ID": (
        ["themes", "merge", "run", "t1"],
        "missing argument 'INTO_ID'",
    ),
    "themes promote without --taxonomy": (
        ["themes", "promote", "run", "t1"],
        "missing option '--taxonomy'",
    ),
    "themes list extra argument": (
        ["themes", "list", "run", "t1"],
        "got unexpected extra argument(s) (t1)",
    ),
    "export without --to": (["export", "run"], "missing option '--to'"),
    "report unknown option": (["report", "run", "--to", "html"], "no such option: --to"),
    "langid missing argument": (["langid"], "missing argument 'INPUT'"),
    "init flag with a value": (["init", "--force=yes"], "option '--force' does not take a value"),
}


@pytest.mark.parametrize("case", list(USAGE_ERRORS))
def test_a_command_line_error_is_one_line_and_exit_2(case: str) -> None:
    args, message = USAGE_ERRORS[case]
    done = run_cli(*args, timeout=60)
    line = assert_one_error_line(done, exit_code=2)
    assert line.startswith(f"cxtext: error: {message}"), line
    assert done.stdout == ""


def test_python_dash_m_gives_the_same_line() -> None:
    args = [sys.executable, "-m", "cxtext", "analyze", DEMO, "--seed", "abc"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)
    line = assert_one_error_line(done, exit_code=2)
    assert line.startswith("cxtext: error: invalid value for '--seed': 'abc'")


def test_with_log_format_json_the_error_is_one_json_object() -> None:
    """A scheduler that reads JSON lines gets one for a command-line error too."""
    done = run_cli("analyze", DEMO, "--log-format", "json", "--seed", "abc", timeout=60)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    event = json.loads(line)
    assert event["level"] == "error" and event["exit_code"] == 2
    assert event["message"].startswith("invalid value for '--seed': 'abc'")


@pytest.mark.parametrize("args", [["--help"], ["analyze", "--help"], ["themes", "merge", "--help"]])
def test_help_is_unchanged(args: list[str]) -> None:
    done = run_cli(*args, timeout=60)
    assert done.returncode == 0 and done.stderr == ""
    assert "Usage: cxtext" in done.stdout and "--help" in done.stdout


@pytest.mark.parametrize("args", [[], ["themes"]])
def test_no_arguments_still_print_the_help(args: list[str]) -> None:
    done = run_cli(*args, timeout=60)
    assert done.returncode == 2 and done.stderr == ""
    assert "Usage: cxtext" in done.stdout and "Commands" in done.stdout
