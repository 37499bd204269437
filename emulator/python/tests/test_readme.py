"""README.md's "Testing from Python", run as a newcomer runs it: its test file, as the README
shows it, run by the README's own command (an inner pytest session, no ini file)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import List, Tuple

import pytest

# tests/ -> emulator/python/ -> emulator/ -> the checkout's root.
README = Path(__file__).resolve().parents[3] / "README.md"
SECTION = "## Testing from Python"


def readme_quick_start() -> Tuple[str, str, List[str]]:
    """The section's test file name, its one python block, and its run command's arguments."""
    text = README.read_text(encoding="utf-8")
    assert text.count(f"\n{SECTION}\n") == 1, f"{README} has no (or more than one) {SECTION!r}"
    section = text.split(f"\n{SECTION}\n", 1)[1].split("\n## ", 1)[0]
    name = re.findall(r"^\*\*Write a test\*\*, `(test_\w+\.py)`:$", section, re.MULTILINE)
    blocks = re.findall(r"^```python\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    assert len(name) == 1 and len(blocks) == 1, "one **Write a test** file, one python block"
    after = section.split(blocks[0], 1)[1]
    run = re.search(r"\*\*Run it\*\*:\n\n```sh\n(.*)\n```", after)
    assert run, "a **Run it** sh block after the test"
    command = shlex.split(run.group(1))
    assert command[0] == "pytest", command
    return name[0], blocks[0], command[1:]


def test_the_readme_test_passes_as_written(pytester: pytest.Pytester) -> None:
    name, code, args = readme_quick_start()
    assert len(code.strip().splitlines()) <= 7, f"the quick start test grew:\n{code}"
    pytester.path.joinpath(name).write_text(code, encoding="utf-8")
    result = pytester.runpytest(*args)
    result.assert_outcomes(passed=1)
