"""The Prefect server a CLI run starts in the background when no Prefect API is configured:
Prefect's own server app (no UI, no background services, as Prefect's temporary server), which
stops by itself once no request has reached it for a while.

`python -m creatorlens.cli.background_server PORT IDLE_SECONDS`
"""

import sys
import threading
import time

IDLE_CHECK_SECONDS = 1.0


class _Idle:
    """ASGI middleware that notes when the last request ended."""

    def __init__(self, app) -> None:
        self.app = app
        self.last = time.monotonic()
        self.active = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1
            self.last = time.monotonic()


def main(port: int, idle_seconds: float) -> None:
    import uvicorn  # noqa: PLC0415 (imported in the server's process only)
    from prefect.server.api.server import create_app  # noqa: PLC0415

    idle = _Idle(create_app(ephemeral=True, final=True))
    server = uvicorn.Server(
        uvicorn.Config(idle, host="127.0.0.1", port=port, lifespan="on", log_level="error")
    )

    def watch() -> None:
        while not server.should_exit:
            time.sleep(IDLE_CHECK_SECONDS)
            if not idle.active and time.monotonic() - idle.last > idle_seconds:
                server.should_exit = True

    threading.Thread(target=watch, daemon=True).start()
    server.run()


if __name__ == "__main__":
    main(int(sys.argv[1]), float(sys.argv[2]))
