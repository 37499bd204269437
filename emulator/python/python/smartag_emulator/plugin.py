"""The pytest plugin (entry point ``pytest11``): an emulator per test session, its account reset
before each test that asks for it.

Fixtures:

``smartag_emulator`` (session)
    The :class:`~smartag_emulator.Emulator`, started on a free port at its first use and
    stopped at the end of the session. Its start fixtures come from the ini option
    ``smartag_emulator_fixtures``.
``smartag`` (function)
    The same emulator, its account reset to the start fixtures before the test, then the
    lines of the test's ``smartag_fixtures`` markers loaded (module, class, then function).
``smartag_client`` (function)
    After the same reset: a client of the newer SDK, ``alibabacloud_smartag20180313``.
``smartag_acs_client`` (function)
    After the same reset: an ``aliyunsdkcore`` ``AcsClient`` for ``aliyun-python-sdk-smartag``.

Ini options (``[tool.pytest.ini_options]``, ``pytest.ini``, ...):

``smartag_emulator_fixtures``
    Files of fixture lines, relative to the ini file, loaded at start and at every reset.
``smartag_emulator_access_key``
    ``ID:SECRET``: the key to serve the account under (default: the well-known key).
``smartag_emulator_region``
    The region of the SDK clients (default ``cn-shanghai``).

``$SMARTAG_EMULATOR_BINARY`` names another binary than the one the wheel installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterator, List, Optional

import pytest

from ._emulator import DEFAULT_REGION, Emulator, EmulatorError, find_binary

if TYPE_CHECKING:
    from alibabacloud_smartag20180313.client import Client
    from aliyunsdkcore.client import AcsClient

FIXTURES_INI = "smartag_emulator_fixtures"
ACCESS_KEY_INI = "smartag_emulator_access_key"
REGION_INI = "smartag_emulator_region"
MARKER = "smartag_fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Declares the plugin's ini options."""
    parser.addini(
        FIXTURES_INI,
        "smartag-emulator: files of fixture lines (relative to the ini file), loaded at start and at every reset",
        type="paths",
        default=[],
    )
    parser.addini(
        ACCESS_KEY_INI,
        "smartag-emulator: ID:SECRET of the account's key (default: the well-known development key)",
        default="",
    )
    parser.addini(
        REGION_INI,
        f"smartag-emulator: the region of the SDK clients (default {DEFAULT_REGION})",
        default=DEFAULT_REGION,
    )


def pytest_configure(config: pytest.Config) -> None:
    """Registers the ``smartag_fixtures`` marker."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(*lines): fixture lines loaded into the smartag emulator's account after its "
        "reset, for this test only (the smartag fixtures)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    """Names the binary the session will run."""
    try:
        return f"smartag-emulator: {find_binary()}"
    except EmulatorError as e:
        return f"smartag-emulator: {e}"


def _emulator_from_ini(config: pytest.Config) -> Emulator:
    """An emulator (not started) as the ini options say."""
    fixtures: List[Path] = [Path(p) for p in config.getini(FIXTURES_INI)]
    key: str = config.getini(ACCESS_KEY_INI).strip()
    key_id: Optional[str] = None
    key_secret: Optional[str] = None
    if key:
        key_id, sep, key_secret = key.partition(":")
        if not sep:
            raise pytest.UsageError(f"{ACCESS_KEY_INI} is written ID:SECRET, not {key!r}")
    region: str = config.getini(REGION_INI).strip() or DEFAULT_REGION
    for path in fixtures:
        if not path.is_file():
            raise pytest.UsageError(f"{FIXTURES_INI}: {path} is no file")
    return Emulator(fixtures=fixtures, access_key_id=key_id, access_key_secret=key_secret, region=region)


@pytest.fixture(scope="session")
def smartag_emulator(pytestconfig: pytest.Config) -> Iterator[Emulator]:
    """A ``smartag-emulator`` for the whole session, on a free port (started at first use,
    stopped at the end). Its account is not reset between tests: ask for ``smartag`` for that.
    """
    emulator = _emulator_from_ini(pytestconfig).start()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def smartag(smartag_emulator: Emulator, request: pytest.FixtureRequest) -> Emulator:
    """The session's emulator, its account reset to the start fixtures, then the lines of the
    test's ``@pytest.mark.smartag_fixtures(...)`` markers loaded (outermost first)."""
    smartag_emulator.reset()
    markers = list(request.node.iter_markers(MARKER))
    for marker in reversed(markers):
        lines = [str(arg) for arg in marker.args]
        if lines:
            smartag_emulator.load_fixtures("\n".join(lines) + "\n")
    return smartag_emulator


@pytest.fixture
def smartag_client(smartag: Emulator) -> "Client":
    """A newer-SDK (``alibabacloud_smartag20180313``) client of the freshly reset emulator."""
    return smartag.client()


@pytest.fixture
def smartag_acs_client(smartag: Emulator) -> "AcsClient":
    """An older-SDK (``aliyunsdkcore``) ``AcsClient`` of the freshly reset emulator."""
    return smartag.acs_client()
