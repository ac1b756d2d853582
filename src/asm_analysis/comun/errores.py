"""User-facing errors: one clear Spanish sentence naming file, sheet, row and column."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field


class ErrorInforme(Exception):
    """The report could not be produced for a reason that is not the user's input (a cell failed)."""


@dataclass
class ErrorEntrada(Exception):
    """A mistake in what the user gave us (a file, a parameter), never a bug of ours.

    The CLI turns it into one Spanish sentence and exit code 2, without a traceback.
    ``fila`` is the 1-based row as the user sees it in Excel or a text editor (header = 1).
    """

    motivo: str
    archivo: str | None = None
    hoja: str | None = None
    fila: int | None = None
    columna: str | None = None
    adicionales: list["ErrorEntrada"] = field(default_factory=list, compare=False, repr=False)
    """More problems found in the same pass (``validate`` lists them all; the CLI names the first)."""

    def __str__(self) -> str:
        partes = []
        if self.archivo:
            partes.append(f"archivo «{self.archivo}»")
        if self.hoja:
            partes.append(f"hoja «{self.hoja}»")
        if self.fila is not None:
            partes.append(f"fila {self.fila}")
        if self.columna:
            partes.append(f"columna «{self.columna}»")
        lugar = ", ".join(partes)
        return f"Error en {lugar}: {self.motivo}" if lugar else f"Error: {self.motivo}"


class Interrupcion(Exception):
    """The user stopped a run (Ctrl+C). The CLI prints its one sentence and exits with code 2."""


#: errno values that mean "this disk or folder cannot take what we write", worded for the user.
_SIN_ESPACIO = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_SIN_PERMISO = {errno.EACCES, errno.EPERM}


def error_de_sistema(exc: BaseException) -> ErrorEntrada | None:
    """A disk-full, read-only or permission :class:`OSError` as one Spanish sentence; else ``None``.

    These are not bugs but the machine's state: the user frees space or picks another
    folder. Reports are built in a temporary folder and swapped in at the end, so the
    message can say that the previous report was left as it was.
    """
    if not isinstance(exc, OSError):
        return None
    archivo = exc.filename if isinstance(exc.filename, str) else None
    if exc.errno in _SIN_ESPACIO:
        return ErrorEntrada("no queda espacio en el disco para escribir el archivo; libere espacio y vuelva a "
                            "ejecutar (lo que ya estaba publicado no se modificó)", archivo=archivo)
    if exc.errno == errno.EROFS:
        return ErrorEntrada("el disco es de solo lectura y no se puede escribir en él; elija otra carpeta "
                            "(con --out para los informes)", archivo=archivo)
    if exc.errno in _SIN_PERMISO:
        return ErrorEntrada("no hay permiso para escribir aquí; elija otra carpeta (con --out para los "
                            "informes) o revise los permisos", archivo=archivo)
    return None
