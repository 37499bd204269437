"""One ``smartag-emulator`` process: found, started on a free port, driven, stopped."""

from __future__ import annotations

import base64
import importlib.metadata
import json
import os
import queue
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Type, Union

if TYPE_CHECKING:
    from alibabacloud_smartag20180313.client import Client
    from aliyunsdkcore.client import AcsClient

#: The access key ID the emulator serves when it is given none: public by design, for tests.
WELL_KNOWN_KEY_ID = "smartag-emulator"
#: The secret of :data:`WELL_KNOWN_KEY_ID`, public by design: never use it anywhere else.
WELL_KNOWN_KEY_SECRET = "smartag-emulator-dev-secret"
#: The region the SDK clients are configured with unless told otherwise.
DEFAULT_REGION = "cn-shanghai"
#: An environment variable naming the binary to run instead of the one the wheel installed.
BINARY_ENV = "SMARTAG_EMULATOR_BINARY"

_DIST = "smartag-emulator"
_EXE = "smartag-emulator.exe" if os.name == "nt" else "smartag-emulator"
_LISTENING = "listening on http://"

#: A file system path, as text or as a path object.
StrPath = Union[str, "os.PathLike[str]"]

# Control requests go straight to the loopback address, whatever proxy the environment names.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class EmulatorError(RuntimeError):
    """The emulator could not be found or started, or stopped on its own."""

    __module__ = "smartag_emulator"


class ControlError(EmulatorError):
    """A control endpoint (``/_emulator/...``) answered other than 200.

    :ivar endpoint: the control endpoint's name (``reset``, ``fixtures``).
    :ivar status: the HTTP status.
    :ivar body: the answer's body, as text.
    """

    __module__ = "smartag_emulator"

    def __init__(self, endpoint: str, status: int, body: str) -> None:
        super().__init__(f"/_emulator/{endpoint} answered {status}: {body.strip()}")
        self.endpoint = endpoint
        self.status = status
        self.body = body


def find_binary() -> Path:
    """The ``smartag-emulator`` executable to run.

    In order: the file ``$SMARTAG_EMULATOR_BINARY`` names; the one this package's wheel
    installed (its record in the installed distribution); one in this interpreter's scripts
    directory; the first on ``PATH``.

    :raises EmulatorError: when there is none.
    """
    override = os.environ.get(BINARY_ENV)
    if override:
        path = Path(override)
        if not path.is_file():
            raise EmulatorError(f"${BINARY_ENV} names {override!r}, which is no file")
        return path
    for candidate in _installed_candidates():
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    on_path = shutil.which(_EXE)
    if on_path:
        return Path(on_path)
    raise EmulatorError(
        f"no {_EXE} binary: install this package from its wheel (pip install ./emulator/python "
        f"in a checkout), or set ${BINARY_ENV} to the binary"
    )


def _installed_candidates() -> List[Path]:
    """Where the wheel put the binary: its distribution's record first, then the scripts
    directories of this interpreter (the default and the per-user scheme)."""
    candidates: List[Path] = []
    try:
        dist = importlib.metadata.distribution(_DIST)
    except importlib.metadata.PackageNotFoundError:
        dist = None
    if dist is not None:
        for file in dist.files or ():
            if file.name == _EXE:
                candidates.append(Path(str(dist.locate_file(file))).resolve())
    schemes = [None] + [f"{os.name}_user", "osx_framework_user"]
    for scheme in schemes:
        try:
            scripts = sysconfig.get_path("scripts") if scheme is None else sysconfig.get_path("scripts", scheme)
        except KeyError:
            continue
        if scripts:
            candidates.append(Path(scripts) / _EXE)
    candidates.append(Path(sys.executable).parent / _EXE)
    return candidates


class Emulator:
    """A ``smartag-emulator`` process on a free port of 127.0.0.1, with one access key.

    Configured by the constructor, started by :meth:`start` (or ``with``), stopped by
    :meth:`stop` (or the end of the ``with`` block)::

        with Emulator(fixtures="fixtures.txt") as emulator:
            client = emulator.client()
            ...

    :param fixtures: one or more files of fixture lines (the replay scenario format:
        ``instance ...``, ``used ...``, requests), loaded into the account at start and at
        each :meth:`reset`.
    :param fixture_text: more fixture lines, after the files'.
    :param access_key_id: the key the account is served under; with ``access_key_secret``.
        Without them the emulator's well-known development key.
    :param access_key_secret: the key's secret.
    :param region: the region the SDK clients of :meth:`client` and :meth:`acs_client` use.
    :param seed: seeds request IDs and generated names (the binary's default, 0, without it).
    :param binary: the executable to run; :func:`find_binary` without it.
    :param extra_args: more command-line arguments for the binary.
    :param env: environment variables for the process, over this one's (``RUST_LOG`` is
        ``warn`` unless set here or in the environment).
    :param startup_timeout: how many seconds the process has to answer its health check.
    :param request_timeout: how many seconds a control request may take.
    """

    __module__ = "smartag_emulator"

    def __init__(
        self,
        *,
        fixtures: Optional[Union[StrPath, Sequence[StrPath]]] = None,
        fixture_text: Optional[str] = None,
        access_key_id: Optional[str] = None,
        access_key_secret: Optional[str] = None,
        region: str = DEFAULT_REGION,
        seed: Optional[int] = None,
        binary: Optional[StrPath] = None,
        extra_args: Sequence[str] = (),
        env: Optional[Mapping[str, str]] = None,
        startup_timeout: float = 30.0,
        request_timeout: float = 10.0,
    ) -> None:
        if (access_key_id is None) != (access_key_secret is None):
            raise ValueError("give both access_key_id and access_key_secret, or neither")
        if access_key_id is not None and (not access_key_id or ":" in access_key_id or not access_key_secret):
            raise ValueError("an access key ID is non-empty without ':', and its secret non-empty")
        if fixtures is None:
            self._fixture_files: List[Path] = []
        elif isinstance(fixtures, (str, os.PathLike)):
            self._fixture_files = [Path(fixtures)]
        else:
            self._fixture_files = [Path(f) for f in fixtures]
        self._fixture_text = fixture_text
        self._custom_key = access_key_id is not None
        self._key_id = access_key_id if access_key_id is not None else WELL_KNOWN_KEY_ID
        self._key_secret = access_key_secret if access_key_secret is not None else WELL_KNOWN_KEY_SECRET
        self._region = region
        self._seed = seed
        self._binary = Path(binary) if binary is not None else None
        self._extra_args = list(extra_args)
        self._env = dict(env or {})
        self._startup_timeout = startup_timeout
        self._request_timeout = request_timeout
        self._process: Optional["subprocess.Popen[bytes]"] = None
        self._address: Optional[str] = None
        self._workdir: Optional[tempfile.TemporaryDirectory[str]] = None
        self._stdout_thread: Optional[threading.Thread] = None
        self._last_stderr = ""

    # ------------------------------------------------------------------ what tests read

    @property
    def endpoint(self) -> str:
        """The emulator's URL, ``http://127.0.0.1:PORT``."""
        return f"http://{self.address}"

    @property
    def address(self) -> str:
        """``127.0.0.1:PORT``: what the SDKs take as their endpoint (with plain HTTP)."""
        if self._address is None:
            raise EmulatorError("the emulator is not running: call start() first")
        return self._address

    @property
    def port(self) -> int:
        """The port the emulator listens on."""
        return int(self.address.rsplit(":", 1)[1])

    @property
    def access_key_id(self) -> str:
        """The access key ID the account is served under."""
        return self._key_id

    @property
    def access_key_secret(self) -> str:
        """The access key's secret."""
        return self._key_secret

    @property
    def region(self) -> str:
        """The region the SDK clients are configured with."""
        return self._region

    @property
    def binary(self) -> Optional[Path]:
        """The executable run (known once started, or when given)."""
        return self._binary

    @property
    def running(self) -> bool:
        """Whether the process was started and has not exited."""
        return self._process is not None and self._process.poll() is None

    def stderr(self) -> str:
        """What the process wrote to standard error (its logs; ``RUST_LOG`` filters them), so
        far while it runs, all of it once stopped."""
        path = self._stderr_path()
        if path is None or not path.exists():
            return self._last_stderr
        return path.read_bytes().decode("utf-8", errors="replace")

    # ------------------------------------------------------------------ life cycle

    def start(self) -> "Emulator":
        """Starts the process and waits until ``GET /_emulator/health`` answers.

        :returns: this emulator, started.
        :raises EmulatorError: when it is running already, or did not come up (the message
            holds what the process wrote to standard error).
        """
        if self._process is not None:
            raise EmulatorError("the emulator was started already")
        binary = self._binary or find_binary()
        self._binary = binary
        self._workdir = tempfile.TemporaryDirectory(prefix="smartag-emulator-")
        self._last_stderr = ""
        args = [str(binary), "--listen", "127.0.0.1:0"]
        try:
            fixtures = self._fixtures_file(Path(self._workdir.name))
        except BaseException:
            self._cleanup()
            raise
        if fixtures is not None:
            args += ["--fixtures", str(fixtures)]
        if self._custom_key:
            args += ["--access-key", f"{self._key_id}:{self._key_secret}"]
        if self._seed is not None:
            args += ["--seed", str(self._seed)]
        args += self._extra_args
        env = dict(os.environ)
        env.setdefault("RUST_LOG", "warn")
        env.update(self._env)
        stderr_path = self._stderr_path()
        assert stderr_path is not None
        # Appending, so that reading the log never moves where the process writes.
        with open(stderr_path, "ab") as stderr:
            try:
                self._process = subprocess.Popen(
                    args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr, env=env
                )
            except OSError as e:
                self._cleanup()
                raise EmulatorError(f"cannot run {binary}: {e}") from e
        try:
            self._address = self._await_listening()
            self._await_health()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout: float = 10.0) -> Optional[int]:
        """Stops the process (SIGTERM, then SIGKILL after ``timeout`` seconds).

        :returns: its exit status (0 after a graceful stop), or ``None`` when it is not
            running (never started, or stopped already).
        """
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        # The process is gone, so its stdout is at its end: the drain thread finishes.
        if self._stdout_thread is not None:
            self._stdout_thread.join(timeout)
            self._stdout_thread = None
        if process.stdout is not None:
            process.stdout.close()
        self._process = None
        self._address = None
        self._cleanup()
        return process.returncode

    def __enter__(self) -> "Emulator":
        if self._process is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ control endpoints

    def health(self) -> bool:
        """Whether ``GET /_emulator/health`` answers ``{"Status":"ok"}``."""
        try:
            with _OPENER.open(f"{self.endpoint}/_emulator/health", timeout=self._request_timeout) as answer:
                status: int = answer.status
                body: object = json.loads(answer.read())
        except (OSError, ValueError):
            return False
        return status == 200 and body == {"Status": "ok"}

    def reset(self) -> None:
        """Puts the account back to its start: the fixtures loaded, nothing else
        (``POST /_emulator/reset``).

        :raises ControlError: when the emulator refuses.
        """
        self._control("reset", b"")

    def load_fixtures(self, text: str) -> List[str]:
        """Runs fixture lines on the account, all or nothing, until the next :meth:`reset`
        (``POST /_emulator/fixtures``).

        :returns: the output line (``STATUS BODY``) of each request among them.
        :raises ControlError: when a line is broken (400 ``InvalidFixtures``; nothing changed).
        """
        answer = self._control("fixtures", text.encode("utf-8"), content_type="text/plain; charset=utf-8")
        return list(answer.get("Outputs", []))

    def connect(self, smart_ag_id: str, user_name: str) -> Tuple[str, int]:
        """Connects a client user as the SAG app would: one more online session, which
        ``DescribeUserOnlineClients`` lists and ``KickOutClients`` ends, dated by the emulator's
        clock (``POST /_emulator/online``). A user with a static address connects from it (once:
        connecting again replaces the session); any other user gets the lowest free address of
        the instance's pool at each connect.

        :returns: the session's ``ClientIp`` and ``OnlineTime`` (Unix seconds).
        :raises ControlError: when the rules refuse the connect (400 ``ConnectRefused``: no such
            instance or user, a disabled user, no free address; nothing changed).
        """
        body = urllib.parse.urlencode({"SmartAGId": smart_ag_id, "UserName": user_name}).encode("ascii")
        answer = self._control("online", body, content_type="application/x-www-form-urlencoded")
        return str(answer.get("ClientIp", "")), int(answer.get("OnlineTime", 0))

    # ------------------------------------------------------------------ SDK clients

    def client(self, **config: Any) -> "Client":
        """A client of the newer official SDK, ``alibabacloud_smartag20180313`` (ACS3 signing),
        pointed at this emulator with its key and region, over plain HTTP.

        :param config: fields of ``alibabacloud_tea_openapi.models.Config`` to set or override,
            such as ``signature_algorithm="v2"`` (RPC signing) or ``read_timeout`` (ms).
        :raises ImportError: when the SDK is not installed.
        """
        try:
            from alibabacloud_smartag20180313.client import Client
            from alibabacloud_tea_openapi.models import Config
        except ImportError as e:
            raise ImportError(
                "Emulator.client() needs the SDK: pip install alibabacloud_smartag20180313"
            ) from e
        settings: Dict[str, Any] = {
            "access_key_id": self.access_key_id,
            "access_key_secret": self.access_key_secret,
            "endpoint": self.address,
            "protocol": "http",
            "region_id": self.region,
            "read_timeout": 10000,
            "connect_timeout": 5000,
        }
        settings.update(config)
        return Client(Config(**settings))

    def acs_client(self, **kwargs: Any) -> "AcsClient":
        """A client of the older official SDK, ``aliyunsdkcore.client.AcsClient`` (for the
        ``aliyun-python-sdk-smartag`` requests; RPC signing), with this emulator as the
        ``Smartag`` endpoint of its region. Requests go over the SDK's default protocol, HTTP,
        unless they set another.

        :param kwargs: more arguments of ``AcsClient`` (``auto_retry``, ``timeout``, ...).
        :raises ImportError: when the SDK is not installed.
        """
        try:
            from aliyunsdkcore.client import AcsClient
        except ImportError as e:
            raise ImportError(
                "Emulator.acs_client() needs the SDK: pip install aliyun-python-sdk-core aliyun-python-sdk-smartag"
            ) from e
        kwargs.setdefault("timeout", 10)
        kwargs.setdefault("connect_timeout", 5)
        client = AcsClient(self.access_key_id, self.access_key_secret, self.region, **kwargs)
        client.add_endpoint(self.region, "Smartag", self.address)
        return client

    # ------------------------------------------------------------------ inside

    def _stderr_path(self) -> Optional[Path]:
        return None if self._workdir is None else Path(self._workdir.name) / "stderr.log"

    def _fixtures_file(self, workdir: Path) -> Optional[Path]:
        """The one file to pass as ``--fixtures``: the only file given, or all of them and the
        text joined into one in ``workdir``."""
        for path in self._fixture_files:
            if not path.is_file():
                raise EmulatorError(f"fixtures file {str(path)!r} does not exist")
        if not self._fixture_text and len(self._fixture_files) <= 1:
            return self._fixture_files[0] if self._fixture_files else None
        parts = [path.read_text(encoding="utf-8") for path in self._fixture_files]
        if self._fixture_text:
            parts.append(self._fixture_text)
        joined = workdir / "fixtures.txt"
        joined.write_text("\n".join(part.rstrip("\n") for part in parts) + "\n", encoding="utf-8")
        return joined

    def _await_listening(self) -> str:
        """Reads the first stdout line, ``listening on http://HOST:PORT``, and keeps draining
        the rest in a thread; answers ``HOST:PORT``."""
        process = self._process
        assert process is not None and process.stdout is not None
        lines: "queue.Queue[Optional[str]]" = queue.Queue()
        stdout: IO[bytes] = process.stdout

        def drain() -> None:
            try:
                for raw in stdout:
                    lines.put(raw.decode("utf-8", errors="replace").rstrip("\r\n"))
            except (OSError, ValueError):
                pass
            lines.put(None)

        self._stdout_thread = threading.Thread(target=drain, name="smartag-emulator-stdout", daemon=True)
        self._stdout_thread.start()
        try:
            first = lines.get(timeout=self._startup_timeout)
        except queue.Empty:
            raise self._failure(f"it said nothing within {self._startup_timeout:g} s") from None
        if first is None:
            raise self._failure("it exited before listening")
        if not first.startswith(_LISTENING):
            raise self._failure(f"unexpected first line {first!r}")
        return first[len(_LISTENING):].strip()

    def _await_health(self) -> None:
        deadline = time.monotonic() + self._startup_timeout
        while not self.health():
            if not self.running:
                raise self._failure("it exited before its health check answered")
            if time.monotonic() > deadline:
                raise self._failure(f"/_emulator/health did not answer within {self._startup_timeout:g} s")
            time.sleep(0.05)

    def _failure(self, why: str) -> EmulatorError:
        """An error saying why the start failed, with the exit status and standard error."""
        process = self._process
        status = ""
        if process is not None:
            try:
                process.wait(0.5)
            except subprocess.TimeoutExpired:
                pass
            if process.returncode is not None:
                status = f" (exit status {process.returncode})"
        stderr = self.stderr().strip() or "(nothing)"
        return EmulatorError(f"smartag-emulator did not start: {why}{status}; its stderr:\n{stderr}")

    def _control(self, endpoint: str, body: bytes, content_type: Optional[str] = None) -> Dict[str, Any]:
        token = base64.b64encode(f"{self.access_key_id}:{self.access_key_secret}".encode("utf-8")).decode("ascii")
        headers = {"Authorization": f"Basic {token}"}
        if content_type is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(
            f"{self.endpoint}/_emulator/{endpoint}", data=body, method="POST", headers=headers
        )
        try:
            with _OPENER.open(request, timeout=self._request_timeout) as answer:
                text = answer.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as e:
            raise ControlError(endpoint, e.code, e.read().decode("utf-8", errors="replace")) from None
        parsed = json.loads(text) if text else {}
        return parsed if isinstance(parsed, dict) else {}

    def _cleanup(self) -> None:
        if self._workdir is not None:
            self._last_stderr = self.stderr()
            self._workdir.cleanup()
            self._workdir = None

    def __repr__(self) -> str:
        where = self._address or "not running"
        return f"<Emulator {where} key={self._key_id!r} region={self._region!r}>"
