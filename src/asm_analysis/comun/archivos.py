"""Writing a file so that a reader never sees it half written."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def escribir_atomico(ruta: str | Path, contenido: bytes | str, *, si_cambia: bool = False) -> bool:
    """Write ``contenido`` (text is written as UTF-8) to ``ruta`` all at once; True if written.

    The bytes go to a temporary sibling (``.<name>.<pid>.tmp``, same folder so the rename stays
    on one file system), which is then renamed over ``ruta``: a reader sees the old file or the
    new one, never a part. If anything fails, the temporary file is removed and ``ruta`` is left
    as it was. ``si_cambia``: leave the file (and its modification time) alone when it already
    holds these bytes, and return False.
    """
    ruta = Path(ruta)
    datos = contenido.encode("utf-8") if isinstance(contenido, str) else bytes(contenido)
    if si_cambia:
        try:
            if ruta.read_bytes() == datos:
                return False
        except OSError:
            pass
    tmp = ruta.with_name(f".{ruta.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(datos)
        os.replace(tmp, ruta)
    finally:
        if tmp.exists():
            tmp.unlink()
    return True


#: Folders this process is building before it publishes them (a report's ``.tmp-<name>-<pid>``).
_EN_CONSTRUCCION: set[Path] = set()


@contextmanager
def carpeta_en_construccion(ruta: str | Path) -> Iterator[Path]:
    """A folder built here and then published (renamed into place) inside the ``with`` block.

    Created empty; removed when the block fails; while the block runs it is listed, so that
    :func:`quitar_en_construccion` can remove it when the process must stop before finishing it
    (a batch worker whose batch was killed stops itself and leaves no half-built report behind).
    """
    ruta = Path(ruta)
    shutil.rmtree(ruta, ignore_errors=True)
    ruta.mkdir(parents=True)
    _EN_CONSTRUCCION.add(ruta)
    try:
        yield ruta
    except BaseException:
        shutil.rmtree(ruta, ignore_errors=True)
        raise
    finally:
        _EN_CONSTRUCCION.discard(ruta)


def quitar_en_construccion() -> None:
    """Remove every folder this process is still building (for a process that stops before finishing)."""
    for ruta in list(_EN_CONSTRUCCION):
        shutil.rmtree(ruta, ignore_errors=True)
