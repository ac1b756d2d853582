"""User-facing errors: one clear Spanish sentence naming file, sheet, row and column."""

from __future__ import annotations

from dataclasses import dataclass, field


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
