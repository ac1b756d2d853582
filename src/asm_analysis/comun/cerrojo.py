"""One writer at a time on ``<data-dir>/processed``: an exclusive lock around ``ingest``.

Two runs started together after a raw file changed (two ``report`` commands, a ``batch``
and a notebook) would otherwise both delete and rewrite that file's rows in the store, and
one could read it half rewritten. :func:`con_cerrojo` takes ``fcntl.flock`` on
``processed/.cerrojo`` for the whole of ``ingesta.ingerir``: the second run waits for the
first, then finds the store up to date (same size and modification time of every raw file)
and reads the fresh store without rewriting it.

The lock is the kernel's: it is released when the holding process ends, however it ends
(``kill -9`` included), so a crashed run never leaves the store locked. Without ``fcntl``
(Windows) the runs are not serialised.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path
from typing import Callable, Iterator, TypeVar

try:  # pragma: no cover - always present on Linux and macOS
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

ARCHIVO = ".cerrojo"
#: Printed (stderr) when another run holds the lock, so a waiting command does not look hung.
AVISO_ESPERA = "Esperando a que termine otra ejecución que está actualizando «{carpeta}»…"

T = TypeVar("T")


@contextlib.contextmanager
def cerrojo(processed: str | Path, avisar: bool = True) -> Iterator[None]:
    """Hold the exclusive lock of ``processed`` (created if missing) for the ``with`` block.

    The lock is re-entrant within one process: a nested ``with`` on the same folder does
    not wait for itself.
    """
    processed = Path(processed)
    clave = str(processed.resolve())
    if fcntl is None or clave in _tenidos:
        yield
        return
    processed.mkdir(parents=True, exist_ok=True)
    fd = os.open(processed / ARCHIVO, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if avisar:
                print(AVISO_ESPERA.format(carpeta=processed), file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        _tenidos.add(clave)
        try:
            yield
        finally:
            _tenidos.discard(clave)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


_tenidos: set[str] = set()


def con_cerrojo(funcion: Callable[..., T]) -> Callable[..., T]:
    """Decorate ``ingerir(data_dir, ...)``: run it holding the lock of ``<data_dir>/processed``."""

    @functools.wraps(funcion)
    def envuelta(data_dir: str | Path = "data", forzar: bool = False, *args, **kwargs) -> T:
        processed = Path(data_dir) / "processed"
        if not (Path(data_dir) / "raw").is_dir():  # the function's own error, without creating processed/
            return funcion(data_dir, forzar, *args, **kwargs)
        with cerrojo(processed):
            if forzar:  # empty the store but keep the lock file: removing it would let a second run in
                vaciar(processed)
            return funcion(data_dir, False, *args, **kwargs)

    return envuelta


def vaciar(processed: Path) -> None:
    """Remove everything in ``processed`` but the lock file (what ``ingest --forzar`` starts from)."""
    import shutil

    for hijo in Path(processed).iterdir():
        if hijo.name == ARCHIVO:
            continue
        if hijo.is_dir() and not hijo.is_symlink():
            shutil.rmtree(hijo)
        else:
            hijo.unlink()


def proceso_vivo(pid: int) -> bool:
    """Whether process ``pid`` still runs (what decides that a leftover folder of a run is garbage)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
