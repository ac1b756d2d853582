"""What one report shows, computed once: its data, its annexes and their audit.

``report`` computes a :class:`Calculo` (:func:`calcular`), writes the CSVs, the workbook and
the docx from it, and hands the same object to the state notebook through a private file
(:func:`guardar`, the notebook's ``resultado`` parameter). The notebook then shows exactly
those figures instead of computing them again (:func:`obtener`). Opened alone in JupyterLab,
with ``resultado = None``, the notebook runs the same :func:`calcular` itself.

The hand-over file is a pickle written by this process into its private folder and read
back by the kernel it starts; it is never read from a user's folder.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asm_analysis import auditoria
from asm_analysis.anexos import Anexos
from asm_analysis.auditoria import Tolerancias
from asm_analysis.comun.errores import ErrorEntrada, ErrorInforme
from asm_analysis.entradas import catalogos, lectura
from asm_analysis.entradas import datos as datos_mod
from asm_analysis.entradas.datos import DatosEstado
from asm_analysis.publicacion import marcas as marcas_mod


@dataclass
class Calculo:
    """The gathered inputs of one report, its audited annexes and the tolerances the audit used.

    ``anexos`` always holds the recalculated tables the audit checked. ``mostrados`` holds the
    tables as the official annexes print them in the chosen ``cifras`` mode (None: the same as
    ``anexos``), and ``marcas`` the cells that carry a numbered mark (:mod:`.marcas`).
    """

    datos: DatosEstado
    anexos: Anexos
    tolerancias: Tolerancias
    cifras: str = "recalculadas"
    mostrados: Anexos | None = None
    marcas: pd.DataFrame = field(default_factory=marcas_mod.vacias)

    @property
    def impresos(self) -> Anexos:
        """The annex tables as printed in the official annexes (``mostrados``, else ``anexos``)."""
        return self.mostrados if self.mostrados is not None else self.anexos

    @property
    def disputas(self) -> dict[str, str]:
        """Headline figures an error finding disputes → the short reason (:func:`.marcas.disputas_resumen`)."""
        return marcas_mod.disputas_resumen(self.anexos)


def calcular(data_dir: str | Path, estado: str, ciclo: int, fondo: str, fecha_corte: dt.date | None = None,
             actualizar: bool = True, tolerancias: str | Path | None = None,
             cifras: str = "recalculadas") -> Calculo:
    """Load one (estado, ciclo, fondo) from ``data_dir`` and compute its audited annexes.

    The audit uses :meth:`Tolerancias.en_vigor`: the package defaults, ``<data_dir>/tolerancias.json``
    when there is one, then the file ``tolerancias`` (``--tolerancias``) when given. ``cifras``
    (``recalculadas`` or ``reportadas``, :data:`~asm_analysis.publicacion.marcas.MODOS_CIFRAS`) chooses
    the figures the official annexes print (``mostrados``); the marks are the same in both modes.
    """
    cifras = marcas_mod.comprobar_modo(cifras)
    tol = Tolerancias.en_vigor(Path(data_dir), Path(tolerancias) if tolerancias else None)
    datos = datos_mod.cargar(data_dir, estado, ciclo, fondo, fecha_corte=fecha_corte, actualizar=actualizar)
    anexos = auditoria.calcular(datos, tol)
    mostrados, marcas = marcas_mod.calcular(datos, anexos, tol, cifras)
    return Calculo(datos, anexos, tol, cifras, mostrados, marcas)


def guardar(calculo: Calculo, carpeta: Path) -> Path:
    """Write ``calculo`` to a new file in ``carpeta`` (a private folder) and return its path."""
    fd, ruta = tempfile.mkstemp(prefix="calculo-", suffix=".pkl", dir=carpeta)
    with os.fdopen(fd, "wb") as f:
        pickle.dump(calculo, f, protocol=pickle.HIGHEST_PROTOCOL)
    return Path(ruta)


def fecha_parametro(valor: str | dt.date | None) -> dt.date | None:
    """A notebook's ``fecha_corte`` parameter as a date (None or blank → None), read as every input date is."""
    try:
        return lectura.parse_fecha(valor)
    except lectura.ValorInvalido as exc:
        raise ErrorEntrada(f"el parámetro fecha_corte = «{valor}» no es una fecha ({exc})") from None


def obtener(estado: str, ciclo: int, fondo: str, data_dir: str | Path = "data",
            fecha_corte: str | dt.date | None = None, actualizar: bool = True,
            resultado: str | None = None, tolerancias: str | None = None, cifras: str | None = None) -> Calculo:
    """What the state notebook shows: the result ``report`` handed over, or the same computation.

    ``resultado`` is the hand-over file ``report`` names in the notebook's parameters; it
    must be of the same estado, ciclo and fondo as the other parameters (a notebook rerun
    by hand with other parameters would otherwise show another state's figures). Without
    it, the data are loaded from ``data_dir`` (found as :func:`~asm_analysis.entradas.datos.carpeta_datos`
    finds it) and the annexes computed here, audited with the tolerances in force there (and
    the file ``tolerancias`` when given). ``cifras`` is the mode of the printed figures
    (``recalculadas`` when None); a hand-over computed in another mode is refused.
    """
    fecha_corte = fecha_parametro(fecha_corte)
    if not resultado:
        return calcular(datos_mod.carpeta_datos(data_dir), estado, int(ciclo), fondo, fecha_corte=fecha_corte,
                        actualizar=actualizar, tolerancias=tolerancias, cifras=cifras or "recalculadas")
    with open(resultado, "rb") as f:
        calculo = pickle.load(f)
    d = calculo.datos
    est, fon = catalogos.resolver_estado(estado), catalogos.resolver_fondo(fondo)
    if (d.estado.cve_ent, int(d.ciclo), d.fondo.clave) != (est.cve_ent, int(ciclo), fon.clave):
        raise ErrorInforme(
            f"el resultado entregado al cuaderno es de {d.estado.nombre} ({d.ciclo}, {d.fondo.clave}) y los "
            f"parámetros piden {est.nombre} ({int(ciclo)}, {fon.clave}); deje resultado = None para calcularlo")
    if cifras and marcas_mod.comprobar_modo(cifras) != calculo.cifras:
        raise ErrorInforme(f"el resultado entregado al cuaderno tiene cifras {calculo.cifras} y el parámetro cifras "
                           f"pide {cifras}; deje resultado = None para calcularlo")
    return calculo
