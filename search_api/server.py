"""`normgraph serve`: the app under gunicorn (several workers, each opening the
release read-only) or, with --dev, under Flask's development server."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from kg.config import Settings
from search_api.app import create_app


def _warm(worker: Any) -> None:
    """Start each worker's query processes before it takes requests."""
    worker.wsgi.extensions["normgraph"].pool().warm()


class Server(BaseApplication):
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings, self.options = settings, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app(self.settings)


def serve(settings: Settings, host: str, port: int, workers: int, dev: bool = False) -> None:
    if dev:
        create_app(settings).run(host=host, port=port, debug=False, use_reloader=False)
        return
    Server(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "sync",
            # a worker waits at most the longest limit for its query process, plus slack
            "timeout": int(max(settings.query_timeout, settings.update_timeout)) + 30,
            "graceful_timeout": 10,
            "limit_request_line": 0,  # the app answers 414 itself (NORMGRAPH_MAX_URL)
            "accesslog": "-",
            "post_worker_init": _warm,
        },
    ).run()
