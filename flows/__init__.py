"""Prefect flows of creatorlens: thin orchestration of tasks that do I/O and call transforms."""

from creatorlens import quiet_exit

quiet_exit.install()
