"""The ``smartag-emulator`` binary, an offline Alibaba Cloud Smart Access Gateway client-user
API that the official SDKs run against, shipped in a wheel, with a pytest plugin.

In tests, the plugin's fixtures (:mod:`smartag_emulator.plugin`) do everything; elsewhere::

    from smartag_emulator import Emulator

    with Emulator(fixtures="fixtures.txt") as emulator:
        client = emulator.client()  # alibabacloud_smartag20180313, pointed at it
"""

from __future__ import annotations

import importlib.metadata

from ._emulator import (
    BINARY_ENV,
    DEFAULT_REGION,
    WELL_KNOWN_KEY_ID,
    WELL_KNOWN_KEY_SECRET,
    ControlError,
    Emulator,
    EmulatorError,
    find_binary,
)

try:
    __version__: str = importlib.metadata.version("smartag-emulator")
except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
    __version__ = "0+unknown"

__all__ = [
    "BINARY_ENV",
    "DEFAULT_REGION",
    "WELL_KNOWN_KEY_ID",
    "WELL_KNOWN_KEY_SECRET",
    "ControlError",
    "Emulator",
    "EmulatorError",
    "find_binary",
    "__version__",
]
