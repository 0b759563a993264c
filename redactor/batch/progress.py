"""Progress a person can read: a rich progress bar on a terminal, a quiet line every few seconds otherwise."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress


class Progress:
    def __init__(self, total: int | None, *, stream=None, every: float = 10.0, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.pages = 0
        self.failed = 0
        self.skipped = 0
        self.started = time.monotonic()
        self.every = every
        self._last = self.started
        self.enabled = enabled
        self._bar: RichProgress | None = None
        if enabled and getattr(self.stream, "isatty", lambda: False)():
            self._start_bar()

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("[bold]batch"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(file=self.stream),
            transient=False,
            refresh_per_second=4,
        )
        self._bar.start()
        self._task = self._bar.add_task("batch", total=self.total, rate="")

    def rates(self) -> tuple[float, float]:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        return self.done / elapsed, self.pages / elapsed

    def update(self, entry: dict) -> None:
        self.done += 1
        self.pages += entry.get("pages") or 0
        self.failed += entry.get("status") == "error"
        self.skipped += entry.get("status") == "skipped"
        if not self.enabled:
            return
        docs, pages = self.rates()
        if self._bar is not None:
            self._bar.update(
                self._task, completed=self.done, rate=f"{docs:.1f} docs/s {pages:.1f} pages/s {self.failed} failed"
            )
            return
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self.line()

    def line(self) -> None:
        docs, pages = self.rates()
        of = f"/{self.total}" if self.total else ""
        eta = ""
        if self.total and docs > 0:
            eta = f", about {max(self.total - self.done, 0) / docs:.0f} s left"
        print(
            f"batch: {self.done}{of} documents, {docs:.1f} docs/s, {pages:.1f} pages/s, "
            f"{self.failed} failed, {self.skipped} skipped{eta}",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif self.enabled:
            self.line()
