"""Writing a file so that a reader never sees it half written."""

from __future__ import annotations

import os
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
