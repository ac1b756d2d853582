"""The SRFT «Destino del gasto» (gestión de proyectos) export: one row per project and quarter.

The export an executing agency downloads from the SRFT (an Excel workbook, or that sheet saved
as CSV) has a group row (``DETALLE_PROYECTO``, ``AVANCE_FINANCIERO``…) over 37 columns
(``CICLO, TRIMESTRE, FOLIO, … OBSERVACIONES_REVISION``; the real header is
:data:`COLUMNAS`). Five of its cells pack several records as pseudo-JSON:

- ``FUENTES_FINANCIAMIENTO``: ``{ff1: {ciclo_recurso:2020, ramo:33, modalidad:I, prog_pres:4,
  tipo_recurso:FEDERALES (…), monto:678644.95, modificado:678644.95}}`` — who pays: the
  programme key is ``modalidad`` + ``prog_pres`` (``I`` + ``2`` = ``I002``, FASSA);
- ``METAS`` (``{meta1: {unidad_medida:…, meta:…, meta_modificada:…}}``), ``GEOREFERENCIAS``
  (``{geo1: {cve_municipio:37, localidad:271, direccion:…, lon:…, lat:…}}``), ``CONTRATOS``
  (``{ctto1: {tipo_obra:…, numero_contrato:…, contratista:…, convocante:…, monto:…,
  importe_modificado:…}}``) and ``AVANCES_FISICOS`` (``{meta1: {unidad_medida:…, avance:…}}``).

Each is unpacked into a tidy table keyed by ``folio`` and ``trimestre``. Values may hold
commas (``FEDERALES (APORTACIONES, SUBSIDIOS Y CONVENIOS)``): a new field starts only at a
comma followed by a lower-case key and a colon. Dates are ``dd-mm-yyyy``. Amounts are
cumulative to the quarter, so a project's year is its last reported quarter.

Every non-blank row is loaded, listed as an exact duplicate (loaded once), or rejected with
its reason (file, sheet, row, column): ``leidas = cargadas + rechazadas + duplicadas``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from asm_analysis.entradas import exportacion, lectura
from asm_analysis.entradas.carga import COLUMNAS_RECHAZO

#: The header of the export, verbatim and in order (Huehuetán, FAIS 2020, 4th quarter).
COLUMNAS = [
    "CICLO", "TRIMESTRE", "FOLIO", "CATEGORIA", "MONTO_GLOBAL_APROBADO", "FUENTES_FINANCIAMIENTO", "NOMBRE",
    "ID_ENTIDAD_RESPONSABLE", "ENTIDAD_RESPONSABLE", "ID_MUNICIPIO_RESPONSABLE", "MUNICIPIO_RESPONSABLE",
    "TIPO_PROGRAMA_PROYECTO", "CLASIFICACION", "SUBCLASIFICACION", "INSTITUCION_EJECUTORA", "NUMERO_PROYECTO",
    "POBLACION_BENEFICIADA", "MUJERES", "HOMBRES", "BENEFICIARIOS", "METAS", "TIPO_GEOREFERENCIA", "GEOREFERENCIAS",
    "FECHA_INICIO", "FECHA_TERMINO", "RECAUDADO", "COMPROMETIDO", "DEVENGADO", "EJERCIDO", "PAGADO", "CONTRATOS",
    "AVANCES_FISICOS", "CARPETA_FOTOS", "ESTATUS", "FLUJO", "OBSERVACIONES_CAPTURISTA", "OBSERVACIONES_REVISION",
]
#: The group row above the header in the real export, by the position of the first column of each group
#: (not needed to read it; the demo generator and the tests write it).
GRUPOS = {0: "DETALLE_PROYECTO", 25: "AVANCE_FINANCIERO", 31: "AVANCES_FISICOS", 32: "FOTOS", 33: "ESTATUS",
          34: "FLUJO", 35: "OBSERVACIONES"}
REQUERIDAS = ("CICLO", "TRIMESTRE", "FOLIO", "FUENTES_FINANCIAMIENTO", "NOMBRE", "ID_ENTIDAD_RESPONSABLE",
              "ID_MUNICIPIO_RESPONSABLE", "MUNICIPIO_RESPONSABLE", "GEOREFERENCIAS", "DEVENGADO", "PAGADO", "ESTATUS")
_CLAVES_REQ = tuple(exportacion.clave(c) for c in REQUERIDAS)
MOMENTOS = ("recaudado", "comprometido", "devengado", "ejercido", "pagado")
#: Amounts a project row must carry (blank or ``N/A`` rejects it: the geographic table cannot assume them).
MOMENTOS_REQUERIDOS = ("devengado", "pagado")
DUPLICADA = "(fila duplicada)"

ESQUEMA = pa.schema([
    ("fila", pa.int64()), ("ciclo", pa.int64()), ("cve_ent", pa.string()), ("trimestre", pa.int64()),
    ("folio", pa.string()), ("nombre", pa.string()), ("categoria", pa.string()),
    ("monto_global_aprobado", pa.float64()), ("id_municipio", pa.int64()), ("municipio", pa.string()),
    ("tipo_programa", pa.string()), ("clasificacion", pa.string()), ("ejecutora", pa.string()),
    ("fecha_inicio", pa.date32()), ("fecha_termino", pa.date32()),
    *((m, pa.float64()) for m in MOMENTOS), ("estatus", pa.string()), ("flujo", pa.string()),
])
ESQUEMA_FUENTES = pa.schema([
    ("fila", pa.int64()), ("ciclo", pa.int64()), ("cve_ent", pa.string()), ("trimestre", pa.int64()),
    ("folio", pa.string()), ("n", pa.int64()), ("ciclo_recurso", pa.int64()), ("ramo", pa.int64()),
    ("modalidad_pp", pa.string()), ("tipo_recurso", pa.string()), ("monto", pa.float64()),
    ("modificado", pa.float64()),
])
ESQUEMA_GEO = pa.schema([
    ("fila", pa.int64()), ("ciclo", pa.int64()), ("cve_ent", pa.string()), ("trimestre", pa.int64()),
    ("folio", pa.string()), ("n", pa.int64()), ("cve_municipio", pa.int64()), ("localidad", pa.int64()),
    ("direccion", pa.string()), ("lon", pa.float64()), ("lat", pa.float64()),
])
#: Store tables written by ``ingest`` (partitioned by ciclo and state).
TABLAS = {"proyectos": ESQUEMA, "proyectos_fuentes": ESQUEMA_FUENTES, "proyectos_geo": ESQUEMA_GEO}


# --------------------------------------------------------------------------- packed cells

_ENTRADA = re.compile(r"([a-z]+)(\d+)\s*:\s*\{")
_CAMPO = re.compile(r"(?:^|,)\s*([a-z_][a-z0-9_]*)\s*:")


def desempacar(texto: str | None, prefijo: str) -> list[dict[str, str]]:
    """``{ff1: {ramo:33, modalidad:I}, ff2: {…}}`` → ``[{"n": "1", "ramo": "33", "modalidad": "I"}, …]``.

    Blank, a no-data mark or a text without braces («Sin contratos») is an empty list. A
    cell with braces that does not follow the format raises :class:`lectura.ValorInvalido`.
    """
    if texto is None or lectura.es_faltante(texto):
        return []
    t = str(texto).strip()
    if "{" not in t:
        if t.lower().startswith(("sin ", "no ")):
            return []
        raise lectura.ValorInvalido(f"«{t[:60]}» no tiene el formato {{{prefijo}1: {{campo:valor, …}}}} del SRFT")
    inicios = [m for m in _ENTRADA.finditer(t) if m.group(1) == prefijo]
    if not t.startswith("{") or not inicios:
        raise lectura.ValorInvalido(f"«{t[:60]}» no tiene el formato {{{prefijo}1: {{campo:valor, …}}}} del SRFT")
    entradas = []
    for k, m in enumerate(inicios):
        ultimo = k + 1 == len(inicios)
        cuerpo = t[m.end():inicios[k + 1].start() if not ultimo else len(t)].rstrip().rstrip(",").rstrip()
        for _ in range(2 if ultimo else 1):
            if not cuerpo.endswith("}"):
                raise lectura.ValorInvalido(f"«{t[:60]}…» tiene una llave sin cerrar en {prefijo}{m.group(2)}")
            cuerpo = cuerpo[:-1].rstrip()
        campos = list(_CAMPO.finditer(cuerpo))
        if not campos or campos[0].start() != 0:
            raise lectura.ValorInvalido(f"{prefijo}{m.group(2)} no tiene campos «nombre:valor»")
        entrada = {"n": m.group(2)}
        for j, c in enumerate(campos):
            fin = campos[j + 1].start() if j + 1 < len(campos) else len(cuerpo)
            entrada[c.group(1)] = cuerpo[c.end():fin].strip()
        entradas.append(entrada)
    return entradas


def modalidad_pp(modalidad: str | None, prog_pres: str | None) -> str:
    """``("I", "2")`` → ``"I002"`` (the programa presupuestario key, as in the ejercicio files)."""
    letra = (modalidad or "").strip().upper()
    numero = re.sub(r"\.0+$", "", (prog_pres or "").strip())
    return letra + (numero.zfill(3) if numero.isdigit() else numero)


_FECHA = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def parse_fecha_srft(valor: str | None) -> dt.date | None:
    """``09-11-2020`` → 9 November 2020 (dd-mm-yyyy, as the export writes dates)."""
    if valor is None or lectura.es_faltante(valor):
        return None
    m = _FECHA.match(str(valor).strip())
    if not m:
        raise lectura.ValorInvalido(f"«{valor}» no es una fecha dd-mm-aaaa")
    try:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        raise lectura.ValorInvalido(f"«{valor}» no es una fecha que exista") from None


# --------------------------------------------------------------------------- whole file


@dataclass
class ResultadoProyectos:
    """A project export read: the tidy tables and every row accounted for.

    ``leidas = cargadas + rechazadas + duplicadas``; ``rechazos`` lists rejected rows and the
    duplicates (``columna`` = «(fila duplicada)»).
    """

    archivo: str
    hoja: str | None
    proyectos: pd.DataFrame
    fuentes: pd.DataFrame
    metas: pd.DataFrame
    geo: pd.DataFrame
    contratos: pd.DataFrame
    avances: pd.DataFrame
    rechazos: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNAS_RECHAZO))
    leidas: int = 0
    duplicadas: int = 0

    @property
    def cargadas(self) -> int:
        return len(self.proyectos)

    @property
    def rechazadas(self) -> int:
        r = self.rechazos
        return int(r.loc[r["columna"] != DUPLICADA, "fila"].nunique()) if len(r) else 0


def es_encabezado(claves: list[str]) -> bool:
    return all(c in claves for c in _CLAVES_REQ)


def leer_tabla(ruta: str | Path) -> exportacion.TablaExportada:
    def falta(candidatas: list[list[str]]) -> str:
        mejor = min(([c for c, k in zip(REQUERIDAS, _CLAVES_REQ) if k not in cand] for cand in candidatas),
                    key=len, default=list(REQUERIDAS))
        return ("no tiene el formato de la exportación de proyectos (destino del gasto) del SRFT: faltan las "
                f"columnas {', '.join(mejor)}")

    return exportacion.leer_tabla(ruta, es_encabezado, falta)


def _numero(valor, columna: str, problemas: list, requerido: bool = False) -> float | None:
    try:
        numero = lectura.parse_numero(valor)
    except lectura.ValorInvalido as exc:
        problemas.append((columna, valor, str(exc)))
        return None
    if numero is None and requerido:
        problemas.append((columna, valor, f"«{columna}» está vacío o es N/A; la distribución geográfica no puede "
                                          "suponer un importe (escriba 0 si no hubo gasto)"))
    return numero


def _entero(valor, columna: str, problemas: list, minimo: int | None = None, maximo: int | None = None,
            requerido: bool = True) -> int | None:
    try:
        numero = lectura.parse_entero(valor)
    except lectura.ValorInvalido:
        numero, valor_malo = None, True
    else:
        valor_malo = False
    if numero is None and not requerido and not valor_malo:
        return None
    if numero is None or (minimo is not None and numero < minimo) or (maximo is not None and numero > maximo):
        rango = f" entre {minimo} y {maximo}" if minimo is not None and maximo is not None else ""
        problemas.append((columna, valor, f"«{columna}» debe ser un número entero{rango}"))
        return None
    return numero


def _convertir(celda, numero: int, salida: dict[str, list], problemas: list) -> None:
    """One raw row into ``salida`` (projects and their unpacked cells), or its problems into ``problemas``."""
    ciclo = _entero(celda("CICLO"), "CICLO", problemas, 2000, 2100)
    trimestre = _entero(celda("TRIMESTRE"), "TRIMESTRE", problemas, 1, 5)
    folio = lectura.parse_texto(celda("FOLIO"))
    if folio is None:
        problemas.append(("FOLIO", celda("FOLIO"), "«FOLIO» está vacío: cada proyecto tiene su folio del SRFT"))
    ent = _entero(celda("ID_ENTIDAD_RESPONSABLE"), "ID_ENTIDAD_RESPONSABLE", problemas, 1, 32)
    mun = _entero(celda("ID_MUNICIPIO_RESPONSABLE"), "ID_MUNICIPIO_RESPONSABLE", problemas, 0, 999)
    montos = {m: _numero(celda(m.upper()), m.upper(), problemas, m in MOMENTOS_REQUERIDOS) for m in MOMENTOS}
    global_ = _numero(celda("MONTO_GLOBAL_APROBADO"), "MONTO_GLOBAL_APROBADO", problemas)
    fechas = {}
    for col in ("FECHA_INICIO", "FECHA_TERMINO"):
        try:
            fechas[col] = parse_fecha_srft(celda(col))
        except lectura.ValorInvalido as exc:
            problemas.append((col, celda(col), str(exc)))
    empacadas = {}
    for col, prefijo in (("FUENTES_FINANCIAMIENTO", "ff"), ("METAS", "meta"), ("GEOREFERENCIAS", "geo"),
                         ("CONTRATOS", "ctto"), ("AVANCES_FISICOS", "meta")):
        try:
            empacadas[col] = desempacar(celda(col), prefijo)
        except lectura.ValorInvalido as exc:
            problemas.append((col, (celda(col) or "")[:120], str(exc)))
            empacadas[col] = []
    fuentes = []
    if "FUENTES_FINANCIAMIENTO" in empacadas and not any(p[0] == "FUENTES_FINANCIAMIENTO" for p in problemas):
        if not empacadas["FUENTES_FINANCIAMIENTO"]:
            problemas.append(("FUENTES_FINANCIAMIENTO", celda("FUENTES_FINANCIAMIENTO"),
                              "el proyecto no dice quién lo financia (ramo, modalidad y programa presupuestario)"))
        for ff in empacadas["FUENTES_FINANCIAMIENTO"]:
            propios: list = []
            fila_ff = {
                "n": int(ff["n"]), "ciclo_recurso": _entero(ff.get("ciclo_recurso"), f"ff{ff['n']}.ciclo_recurso",
                                                            propios, 2000, 2100),
                "ramo": _entero(ff.get("ramo"), f"ff{ff['n']}.ramo", propios, 1, 99),
                "modalidad_pp": modalidad_pp(ff.get("modalidad"), ff.get("prog_pres")),
                "tipo_recurso": ff.get("tipo_recurso"),
                "monto": _numero(ff.get("monto"), f"ff{ff['n']}.monto", propios),
                "modificado": _numero(ff.get("modificado"), f"ff{ff['n']}.modificado", propios, True),
            }
            if not re.fullmatch(r"[A-Z]\d{3}", fila_ff["modalidad_pp"]):
                propios.append((f"ff{ff['n']}.modalidad", f"{ff.get('modalidad')}/{ff.get('prog_pres')}",
                                "«modalidad» + «prog_pres» deben formar la clave del programa presupuestario "
                                "(I + 2 = I002)"))
            problemas += [("FUENTES_FINANCIAMIENTO", v, f"{c}: {m}") for c, v, m in propios]
            fuentes.append(fila_ff)
    geos = []
    for g in empacadas.get("GEOREFERENCIAS", []):
        propios = []
        geos.append({
            "n": int(g["n"]),
            "cve_municipio": _entero(g.get("cve_municipio"), f"geo{g['n']}.cve_municipio", propios, 0, 999),
            "localidad": _entero(g.get("localidad"), f"geo{g['n']}.localidad", propios, 0, 99999, requerido=False),
            "direccion": g.get("direccion"),
            "lon": _numero(g.get("lon"), f"geo{g['n']}.lon", propios),
            "lat": _numero(g.get("lat"), f"geo{g['n']}.lat", propios),
        })
        problemas += [("GEOREFERENCIAS", v, f"{c}: {m}") for c, v, m in propios]
    if problemas:
        return
    base = {"fila": numero, "ciclo": ciclo, "cve_ent": f"{ent:02d}", "trimestre": trimestre, "folio": folio}
    salida["proyectos"].append({
        **base, "nombre": lectura.parse_texto(celda("NOMBRE")), "categoria": lectura.parse_texto(celda("CATEGORIA")),
        "monto_global_aprobado": global_, "id_municipio": mun,
        "municipio": lectura.parse_texto(celda("MUNICIPIO_RESPONSABLE")),
        "tipo_programa": lectura.parse_texto(celda("TIPO_PROGRAMA_PROYECTO")),
        "clasificacion": lectura.parse_texto(celda("CLASIFICACION")),
        "ejecutora": lectura.parse_texto(celda("INSTITUCION_EJECUTORA")),
        "fecha_inicio": fechas.get("FECHA_INICIO"), "fecha_termino": fechas.get("FECHA_TERMINO"), **montos,
        "estatus": lectura.parse_texto(celda("ESTATUS")) or "Sin estatus",
        "flujo": lectura.parse_texto(celda("FLUJO")),
    })
    salida["fuentes"] += [{**base, **f} for f in fuentes]
    salida["geo"] += [{**base, **g} for g in geos]
    for col, tabla_hija in (("METAS", "metas"), ("CONTRATOS", "contratos"), ("AVANCES_FISICOS", "avances")):
        salida[tabla_hija] += [{**base, **{k: v for k, v in e.items() if k != "n"}, "n": int(e["n"])}
                               for e in empacadas.get(col, [])]


def leer_proyectos(ruta: str | Path) -> ResultadoProyectos:
    """Read a project export (xlsx or CSV) into tidy tables, every row loaded or listed with its reason."""
    ruta = Path(ruta)
    tabla = leer_tabla(ruta)
    pos = tabla.posiciones()
    salida: dict[str, list] = {k: [] for k in ("proyectos", "fuentes", "metas", "geo", "contratos", "avances")}
    rechazos: list[dict] = []
    vistas: dict[tuple, int] = {}
    claves: dict[tuple, int] = {}
    duplicadas = 0
    for numero, celdas in tabla.filas:
        def celda(nombre: str, _c=celdas):
            i = pos.get(exportacion.clave(nombre))
            return _c[i] if i is not None and i < len(_c) else None

        texto = tuple(celdas)
        if texto in vistas:
            duplicadas += 1
            rechazos.append({"archivo": tabla.lugar, "fila": numero, "columna": DUPLICADA,
                             "valor": " | ".join(c or "" for c in celdas)[:120],
                             "motivo": f"la fila repite exactamente la fila {vistas[texto]}; se cargó una sola vez"})
            continue
        vistas[texto] = numero
        problemas: list[tuple[str, object, str]] = []
        antes = len(salida["proyectos"])
        _convertir(celda, numero, salida, problemas)
        if not problemas:
            nuevo = salida["proyectos"][antes]
            clave = (nuevo["folio"], nuevo["trimestre"])
            if clave in claves:
                problemas.append(("FOLIO", nuevo["folio"], f"el folio ya aparece con el trimestre {clave[1]} en la fila "
                                                           f"{claves[clave]}; un proyecto se reporta una vez por trimestre"))
                for k in salida:
                    salida[k] = [r for r in salida[k] if r["fila"] != numero]
            else:
                claves[clave] = numero
        if problemas:
            rechazos.append({
                "archivo": tabla.lugar, "fila": numero, "columna": "; ".join(p[0] for p in problemas),
                "valor": "; ".join("" if lectura.es_faltante(p[1]) else str(p[1]) for p in problemas),
                "motivo": "; ".join(p[2] for p in problemas),
                "ciclo": celda("CICLO") or "", "cve_ent": _cve(celda("ID_ENTIDAD_RESPONSABLE")),
                "fondo": _fondo(celda("FUENTES_FINANCIAMIENTO")),
            })
    tablas = {k: pd.DataFrame(v) for k, v in salida.items()}
    for k, esquema in (("proyectos", ESQUEMA), ("fuentes", ESQUEMA_FUENTES), ("geo", ESQUEMA_GEO)):
        tablas[k] = tablas[k].reindex(columns=esquema.names)
    return ResultadoProyectos(
        ruta.name, tabla.hoja, tablas["proyectos"], tablas["fuentes"], tablas["metas"], tablas["geo"],
        tablas["contratos"], tablas["avances"],
        pd.DataFrame(rechazos, columns=COLUMNAS_RECHAZO).sort_values(
            "fila", kind="mergesort").reset_index(drop=True) if rechazos else pd.DataFrame(columns=COLUMNAS_RECHAZO),
        leidas=len(tabla.filas), duplicadas=duplicadas)


def _fondo(celda_ff: str | None) -> str:
    """The catalogue fund a rejected row belongs to, when its funding cell names exactly one ("" otherwise:
    the row then blocks the reports of every fund of its state and year)."""
    from asm_analysis.entradas.srft import _fondos_por_programa

    try:
        fuentes = desempacar(celda_ff, "ff")
        claves = {(lectura.parse_entero(f.get("ramo")), modalidad_pp(f.get("modalidad"), f.get("prog_pres")))
                  for f in fuentes}
    except lectura.ValorInvalido:
        return ""
    fondos = {_fondos_por_programa().get(c) for c in claves}
    return fondos.pop() or "" if len(fondos) == 1 else ""


def _cve(valor: str | None) -> str:
    try:
        n = lectura.parse_entero(valor)
    except lectura.ValorInvalido:
        return ""
    return f"{n:02d}" if n is not None and 1 <= n <= 32 else ""


def describir(ruta: str | Path) -> str:
    """What ``validate`` says it recognised in a project export."""
    r = leer_proyectos(ruta)
    donde = f", hoja «{r.hoja}»" if r.hoja else ""
    claves = sorted(set(r.fuentes["modalidad_pp"].dropna())) if len(r.fuentes) else []
    cortes = sorted({(int(c), int(t)) for c, t in zip(r.proyectos["ciclo"], r.proyectos["trimestre"])})
    return (f"exportación de proyectos (destino del gasto) del SRFT{donde}: {r.leidas} filas, {r.cargadas} proyectos "
            f"cargados; programas presupuestarios {', '.join(claves) or 'ninguno'}; "
            f"cortes {', '.join(f'{c} T{t}' for c, t in cortes) or 'ninguno'}")

