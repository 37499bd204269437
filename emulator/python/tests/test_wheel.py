"""What the installed wheel ships, seen from the environment it was installed into (not the
source tree)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import smartag_emulator


def test_the_installed_wheel_ships_py_typed() -> None:
    dist = metadata.distribution("smartag-emulator")
    installed = {path.as_posix() for path in dist.files or []}
    assert "smartag_emulator/py.typed" in installed, sorted(installed)
    # The package this suite imports is that installed one, and the marker is in it.
    package = Path(smartag_emulator.__file__).resolve().parent
    assert package == Path(str(dist.locate_file("smartag_emulator"))).resolve(), package
    assert (package / "py.typed").is_file()
