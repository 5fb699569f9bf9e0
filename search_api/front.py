"""The front (`normgraph serve --front`): nginx between the clients and the
gunicorn workers. It holds slow clients, and it answers every release-bound
answer it has seen from its own cache, keyed by the release `current` resolves
to, at static-file speed; everything else goes to the workers on a Unix socket in
a private directory. The configuration is ``nginx.conf`` beside this module."""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kg.config import Settings
from kg.errors import ConfigError

TEMPLATE = Path(__file__).with_name("nginx.conf")
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
CACHE_SIZE = "512m"  # on disk; the page cache keeps the busy part in memory


@dataclass(frozen=True)
class Front:
    run_dir: Path  # private: the socket, the configuration, the cache, nginx's logs
    host: str
    port: int
    settings: Settings
    processes: int = 1

    @property
    def socket(self) -> Path:
        return self.run_dir / "workers.sock"

    @property
    def config_path(self) -> Path:
        return self.run_dir / "nginx.conf"

    def config(self) -> str:
        """The template with this front's values."""
        root = os.geteuid() == 0  # nginx's workers would otherwise run as nobody
        values = {
            "user": f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if root else "",
            "workers": str(self.processes),
            "run": str(self.run_dir),
            "max_body": str(2 * self.settings.max_body),  # the app refuses with its reason
            "cache_size": CACHE_SIZE,
            "socket": str(self.socket),
            "listen": f"{self.host}:{self.port}",
            "release_dir": str(Path(self.settings.release_dir).resolve()),
            "read_timeout": str(
                int(max(self.settings.query_timeout, self.settings.update_timeout)) + 30
            ),
        }
        return re.sub(r"@(\w+)@", lambda m: values[m.group(1)], TEMPLATE.read_text())

    def start(self) -> subprocess.Popen:
        """Write the configuration, check it, and start nginx in the foreground."""
        nginx = shutil.which("nginx", path=SEARCH_PATH)
        if nginx is None:
            raise ConfigError("--front needs nginx (Debian: apt-get install nginx-light)")
        self.config_path.write_text(self.config())
        command = [nginx, "-p", str(self.run_dir), "-c", str(self.config_path)]
        command += ["-e", str(self.run_dir / "error.log")]
        checked = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        if checked.returncode != 0:
            raise ConfigError(f"nginx refused its configuration: {checked.stderr.strip()}")
        # its own process group: a master killed with SIGKILL leaves its workers behind,
        # still holding the port, and the group is how they are found (end_all)
        return subprocess.Popen(command, start_new_session=True)


def end_all(nginx: subprocess.Popen) -> None:
    """Stop whatever is left of ``nginx``'s process group (orphaned workers included)."""
    with contextlib.suppress(ProcessLookupError):  # nothing left
        os.killpg(nginx.pid, signal.SIGKILL)
