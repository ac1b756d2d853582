"""Tolerances of the audit: the shipped ``data/tolerancias.json`` is the source of the defaults.

The defaults are read from that file once. :meth:`Tolerancias.en_vigor` lays a data folder's
own ``tolerancias.json`` over them, then a file given by the user (``--tolerancias``); each
:class:`Tolerancias` remembers the files its values came from and shows them with
:meth:`Tolerancias.tabla`.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import math
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path

import pandas as pd

from asm_analysis.comun.errores import ErrorEntrada

#: Name of the tolerances file, in the package data and in a data folder.
ARCHIVO = "tolerancias.json"
_DADO_EN_CODIGO = "valor dado en el código"


def _ruta_del_paquete() -> Path:
    """The shipped tolerances file."""
    return Path(str(resources.files("asm_analysis") / "data" / ARCHIVO))


#: Largest tolerances file read: a few keys take a few hundred bytes.
TAMANO_MAXIMO = 1 << 20
#: Digits of the longest integer a tolerances file may hold (a tolerance is a small number).
CIFRAS_MAXIMAS = 30


class _NumeroEnorme(ValueError):
    """An integer in a tolerances file with more than :data:`CIFRAS_MAXIMAS` digits."""


def _entero(texto: str) -> int:
    """``parse_int`` of :func:`json.loads`: refuses a huge integer before Python converts it."""
    if len(texto.lstrip("-")) > CIFRAS_MAXIMAS:
        raise _NumeroEnorme(len(texto.lstrip("-")))
    return int(texto)


def _texto_json(ruta: Path) -> str:
    """The text of a tolerances file, or :class:`ErrorEntrada` naming it: missing, a folder, too large,
    UTF-16 or not UTF-8."""
    if ruta.is_dir():
        raise ErrorEntrada("es una carpeta, no un archivo; indique el archivo .json de tolerancias",
                           archivo=str(ruta))
    try:
        with open(ruta, "rb") as f:
            crudo = f.read(TAMANO_MAXIMO + 1)
    except FileNotFoundError as exc:
        raise ErrorEntrada("el archivo de tolerancias no existe", archivo=str(ruta)) from exc
    except OSError as exc:
        raise ErrorEntrada(f"no se puede leer el archivo de tolerancias ({exc.strerror or exc})",
                           archivo=str(ruta)) from exc
    if len(crudo) > TAMANO_MAXIMO:
        raise ErrorEntrada(f"el archivo de tolerancias pesa más de {TAMANO_MAXIMO >> 20} MB; un archivo de "
                           "tolerancias tiene unas pocas claves", archivo=str(ruta))
    if crudo.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in crudo:
        raise ErrorEntrada("el archivo de tolerancias está guardado como texto Unicode (UTF-16); guárdelo en "
                           "UTF-8", archivo=str(ruta))
    try:
        return crudo.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        linea = crudo[: exc.start].count(b"\n") + 1
        raise ErrorEntrada(f"el archivo de tolerancias no está en UTF-8 (línea {linea}: el byte "
                           f"0x{crudo[exc.start]:02X} es de otra codificación, como latin-1); guárdelo en UTF-8",
                           archivo=str(ruta)) from exc


def _leer_json(ruta: Path) -> dict:
    """A tolerances file's JSON object, or :class:`ErrorEntrada` naming the file (never a traceback)."""
    texto = _texto_json(ruta)
    try:
        contenido = json.loads(texto, parse_int=_entero)
    except _NumeroEnorme as exc:
        raise ErrorEntrada(f"el archivo de tolerancias tiene un número de {exc.args[0]:,} cifras, demasiado "
                           "grande para una tolerancia", archivo=str(ruta)) from None
    except json.JSONDecodeError as exc:
        raise ErrorEntrada(f"el archivo de tolerancias no es JSON válido ({exc.msg}, línea {exc.lineno})",
                           archivo=str(ruta)) from exc
    except RecursionError:
        raise ErrorEntrada("el archivo de tolerancias tiene listas u objetos anidados a demasiada profundidad; "
                           "una tolerancia es un número o {\"valor\": número}", archivo=str(ruta)) from None
    if not isinstance(contenido, dict):
        raise ErrorEntrada("el archivo de tolerancias debe ser un objeto JSON", archivo=str(ruta))
    return contenido


def _valores(contenido: dict, nombres: tuple[str, ...], origen: str) -> dict[str, float]:
    """``{"monto": 1.0}`` or ``{"monto": {"valor": 1.0, ...}}`` as checked floats.

    Errors name ``origen`` (the file) and the key.
    """
    datos = {}
    for clave, valor in contenido.items():
        if clave not in nombres:
            raise ErrorEntrada(f"«{clave}» no es una tolerancia conocida ({', '.join(sorted(nombres))})",
                               archivo=origen)
        if isinstance(valor, dict):
            valor = valor.get("valor")
        if isinstance(valor, bool) or not isinstance(valor, (int, float)) or not math.isfinite(float(valor)) \
                or valor < 0:
            raise ErrorEntrada(f"la tolerancia «{clave}» debe ser un número mayor o igual a cero",
                               archivo=origen)
        datos[clave] = float(valor)
    return datos


@functools.cache
def _del_paquete() -> dict[str, dict]:
    """The shipped file, checked: ``{clave: {"valor": float, "nombre": str, "descripcion": str, "unidad": str}}``.

    Read once per process; every key of :class:`Tolerancias` must be there with its value, the
    name a reader knows it by (``ejecución baja``), description and unit.
    """
    ruta = _ruta_del_paquete()
    contenido = _leer_json(ruta)
    nombres = _nombres()
    valores = _valores(contenido, nombres, str(ruta))
    salida = {}
    for clave in nombres:
        if clave not in valores:
            raise ErrorEntrada(f"falta la tolerancia «{clave}»", archivo=str(ruta))
        entrada = contenido[clave] if isinstance(contenido[clave], dict) else {}
        for texto in ("nombre", "descripcion", "unidad"):
            if not isinstance(entrada.get(texto), str) or not entrada[texto].strip():
                raise ErrorEntrada(f"la tolerancia «{clave}» no tiene «{texto}»", archivo=str(ruta))
        salida[clave] = {"valor": valores[clave], "nombre": entrada["nombre"], "descripcion": entrada["descripcion"],
                         "unidad": entrada["unidad"]}
    return salida


def nombre(clave: str) -> str:
    """How a reader names the tolerance ``clave``, with the key the user edits in ``tolerancias.json``:
    ``ejecución baja («ejecucion_baja»)``."""
    return f"{_del_paquete()[clave]['nombre']} («{clave}»)"


def _por_omision(clave: str):
    """A tolerance field whose default is the shipped file's value (read when an instance is built)."""
    return field(default_factory=lambda: _del_paquete()[clave]["valor"], metadata={"tolerancia": True})


def _nombres() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Tolerancias) if f.metadata.get("tolerancia"))


@dataclass(frozen=True)
class Tolerancias:
    """Tolerances of the audit; a difference strictly greater than the tolerance is a finding.

    ``Tolerancias()`` are the package defaults (``data/tolerancias.json``). ``origenes`` are
    the files actually read for these values, in the order they were laid on; they are not
    compared (two instances with the same values are equal).
    """

    monto: float = _por_omision("monto")
    """Pesos: reported subtotal, total or ``disponible`` against the computed one; Anexo 1 against SRFT."""
    porcentaje: float = _por_omision("porcentaje")
    """Percentage points: a reported share (Anexo 2) against ``monto / total * 100``; the SRFT Indicadores
    export's ``Avance (%)`` (rounded to 2 decimals by the SRFT) against the SRFT's own rule."""
    cumplimiento: float = _por_omision("cumplimiento")
    """Percentage points: reported ``avance_meta_reportado`` against compliance computed by direction."""
    ejecucion_baja: float = _por_omision("ejecucion_baja")
    """Percent: a chapter or the grand total with ``devengado / modificado`` below this is low execution."""
    valor_indicador: float = _por_omision("valor_indicador")
    """Indicator units: prior-year meta/avance reported against the previous ciclo's own data."""
    variacion_anual: float = _por_omision("variacion_anual")
    """Percent: a chapter's aprobado that changes more than this from the previous ciclo is flagged."""
    origenes: tuple[str, ...] = field(default_factory=lambda: (str(_ruta_del_paquete()),), compare=False)
    _origen_de: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)
    """(tolerancia, origen) of every value laid over the defaults, in order."""

    def valores(self) -> dict[str, float]:
        """The tolerances by name, in declaration order."""
        return {n: getattr(self, n) for n in _nombres()}

    def _sobre(self, contenido: dict, origen: str, leido: bool) -> "Tolerancias":
        datos = _valores(contenido, _nombres(), origen)
        return replace(self, **datos, origenes=self.origenes + ((origen,) if leido else ()),
                       _origen_de=self._origen_de + tuple((k, origen) for k in datos))

    def con_archivo(self, ruta: str | Path) -> "Tolerancias":
        """These tolerances with the values of a JSON file over them (keys not given keep theirs)."""
        ruta = Path(ruta)
        return self._sobre(_leer_json(ruta), str(ruta), leido=True)

    @classmethod
    def desde_dict(cls, valores: dict, origen: str = "tolerancias") -> "Tolerancias":
        """Build from ``{"monto": 1.0}`` or ``{"monto": {"valor": 1.0, "descripcion": ...}}``; ``origen``
        names the values in errors and in :meth:`tabla`."""
        return cls()._sobre(valores, origen, leido=False)

    @classmethod
    def desde_archivo(cls, ruta: str | Path) -> "Tolerancias":
        """Read tolerances from a JSON file; keys not given keep their defaults."""
        return cls().con_archivo(ruta)

    @classmethod
    def en_vigor(cls, data_dir: Path | None = None, archivo: Path | None = None) -> "Tolerancias":
        """The tolerances a run uses: package defaults, then ``<data_dir>/tolerancias.json`` when it
        exists, then ``archivo`` when given (it must exist)."""
        tol = cls()
        if data_dir is not None and (Path(data_dir) / ARCHIVO).exists():  # a folder of that name is refused
            tol = tol.con_archivo(Path(data_dir) / ARCHIVO)
        if archivo is not None:
            tol = tol.con_archivo(archivo)
        return tol

    def archivos(self) -> list[dict]:
        """The tolerance files read besides the shipped one: archivo, sha256, tamano (provenance)."""
        paquete = str(_ruta_del_paquete())
        salida = []
        for origen in dict.fromkeys(self.origenes):
            if origen != paquete:
                contenido = Path(origen).read_bytes()
                salida.append({"archivo": origen, "tipo": "tolerancias", "sha256": hashlib.sha256(contenido).hexdigest(),
                               "tamano": len(contenido)})
        return salida

    def firma(self) -> str:
        """What of these tolerances decides a report: the values and the SHA-256 of each file read.

        Part of a report's fingerprint (``ejecucion.huella``): another value, or an edited
        tolerance file, regenerates the report. The path of a file does not count.
        """
        return json.dumps({"valores": self.valores(), "archivos": [a["sha256"] for a in self.archivos()]},
                          sort_keys=True)

    def tabla(self) -> pd.DataFrame:
        """The tolerances in force: tolerancia, valor, descripcion, unidad and origen (the file each
        value came from)."""
        paquete = _del_paquete()
        origen_de = dict(self._origen_de)
        filas = []
        for clave, valor in self.valores().items():
            origen = origen_de.get(clave)
            if origen is None:
                origen = str(_ruta_del_paquete()) if valor == paquete[clave]["valor"] else _DADO_EN_CODIGO
            filas.append({"tolerancia": clave, "valor": valor, "descripcion": paquete[clave]["descripcion"],
                          "unidad": paquete[clave]["unidad"], "origen": origen})
        return pd.DataFrame(filas, columns=["tolerancia", "valor", "descripcion", "unidad", "origen"])

    @classmethod
    def documentadas(cls) -> pd.DataFrame:
        """The shipped defaults with their Spanish descriptions (``data/tolerancias.json``)."""
        return pd.DataFrame([{"tolerancia": k, "valor": v["valor"], "descripcion": v["descripcion"]}
                             for k, v in _del_paquete().items()])
