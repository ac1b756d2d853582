"""The official annexes as published: their tables row for row, their marks, their source lines.

``anexos.docx`` and the annex sheets of ``anexos.xlsx`` print the annexes in the layout of the
published EED annexes (column for column, as :data:`~asm_analysis.publicacion.columnas.TABLAS`
``[…_oficial]`` heads them): Anexo 1 with «1000: Servicios personales» on the chapter's first
concept row, «1100 Remuneraciones…» as the concept, «Subtotal capítulo 1000» rows and «Gran
total»; Anexo 2 with its «INGRESOS TOTALES» row, subtotals (a), (b)… and the executing agency's
total; Anexo 4 in one table with its «Indicadores MIR Federal/Estatal» group rows; Anexo 6 as
the CONAC form (:func:`formulario`); Anexo 7 with its header block (:func:`encabezado_anexo7`).

Both writers take the same :class:`TablaOficial` (values still raw: numbers stay numbers for
the workbook), the marks that fall on its cells (:func:`marcas_en`) and the line under it
(:func:`linea_fuente`), so Word and Excel never disagree on a cell, a mark or a source.
The analytic columns (shares of Anexo 1, semáforo, sentido, variación, MIR…) are not here:
they stay in the page, the CSVs and the workbook's «Análisis» sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asm_analysis.comun.vacios import vacio
from asm_analysis.entradas import catalogos
from asm_analysis.entradas.datos import DatosEstado
from asm_analysis.entradas.tablas import FORMATO_CONAC
from asm_analysis.publicacion import marcas as marcas_mod
from asm_analysis.publicacion.columnas import TABLAS, del_libro

#: Row kinds: ``grupo`` is a heading row whose text spans the whole table.
GRUPO = "grupo"


@dataclass
class TablaOficial:
    """One printed table of an official annex.

    ``clave``: its columns in ``columnas.TABLAS``; ``anexo``: the :class:`~asm_analysis.anexos.Anexos`
    attribute it prints (whose marks apply); ``filas``: one row per printed row, with the column
    keys, ``tipo_fila`` (``detalle``, ``subtotal``, ``total``, ``grupo``) and ``origen`` (index label
    of the row in the annex table, None for a group row); ``origen_columnas``: printed column →
    the annex columns its value comes from (a mark on one of those lands on this cell).
    """

    clave: str
    anexo: str
    filas: pd.DataFrame
    origen_columnas: dict[str, tuple[str, ...]] = field(default_factory=dict)
    seleccion: tuple[str, ...] | None = None
    resto: bool = False

    def columnas(self, ciclo: int) -> list[tuple[str, str, str]]:
        """(key, header, kind) of each printed column, the years filled in (``columnas.del_libro``)."""
        datos = self.filas.drop(columns=["origen"], errors="ignore")
        return del_libro(self.clave, datos, ciclo, self.seleccion, self.resto)

    def columna_de(self, columna_anexo: str) -> str | None:
        """The printed column that shows the annex column ``columna_anexo`` (None: not printed)."""
        for impresa, origenes in self.origen_columnas.items():
            if columna_anexo in origenes:
                return impresa
        impresas = {clave for clave, _, _ in self.columnas(0)}  # the keys do not depend on the year
        return columna_anexo if columna_anexo in impresas else None


def _texto(valor: object) -> str:
    return "" if vacio(valor) else str(valor).strip()


def _tipos(tabla: pd.DataFrame) -> list[str]:
    return tabla["tipo_fila"].tolist() if "tipo_fila" in tabla else ["detalle"] * len(tabla)


def _fila(tipo: str, origen: object, /, **valores) -> dict:
    return {**valores, "tipo_fila": tipo, "origen": origen}


def _marco(clave: str, filas: list[dict]) -> pd.DataFrame:
    marco = pd.DataFrame(filas, columns=["tipo_fila", "origen", *(c.clave for c in TABLAS[clave])])
    marco["origen"] = pd.Series([f["origen"] for f in filas], dtype=object)  # labels as given, None for a group
    return marco


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------

_MONTOS = ("aprobado", "modificado", "devengado", "pagado", "disponible")


def anexo1(tabla: pd.DataFrame) -> TablaOficial:
    """Anexo 1. Tabla 1: chapter on its first concept row, concept with its code, subtotals, «Gran total»."""
    filas, vistos = [], set()
    for origen, tipo, (_, r) in zip(tabla.index, _tipos(tabla), tabla.iterrows()):
        capitulo = _texto(r.get("capitulo"))
        montos = {m: r.get(m) for m in _MONTOS}
        if tipo == "subtotal":
            filas.append(_fila("subtotal", origen, capitulo_gasto=f"Subtotal capítulo {capitulo}", concepto="",
                               **montos))
        elif tipo == "total":
            filas.append(_fila("total", origen, capitulo_gasto="Gran total", concepto="", **montos))
        else:
            nombre = ""
            if capitulo not in vistos:
                vistos.add(capitulo)
                nombre = f"{capitulo}: {catalogos.nombre_capitulo(capitulo)}" if capitulo else ""
            concepto = " ".join(p for p in (_texto(r.get("concepto")), _texto(r.get("descripcion"))) if p)
            filas.append(_fila("detalle", origen, capitulo_gasto=nombre, concepto=concepto, **montos))
    return TablaOficial("anexo1_oficial", "anexo1", _marco("anexo1_oficial", filas),
                        {"capitulo_gasto": ("capitulo",), "concepto": ("concepto", "descripcion")})


_LETRAS = re.compile(r"\(([a-z](?:\s*\+\s*[a-z])*)\)")


def _total_ejecutora(etiqueta: str, ciclo: int) -> str:
    """«Total de ingresos 2024 de la Ejecutora (a + b + c + d)», the letters of the table's own total."""
    m = _LETRAS.search(etiqueta)
    letras = f" ({' + '.join(re.findall(r'[a-z]', m.group(1)))})".replace(" + ", "\u00a0+\u00a0") if m else ""
    return f"Total de ingresos {ciclo} de la Ejecutora{letras}"


def anexo2(tabla: pd.DataFrame, ciclo: int) -> TablaOficial:
    """Anexo 2. Tabla 1: «INGRESOS TOTALES», each order of government on its first row, subtotals, total."""
    filas = [_fila(GRUPO, None, orden_gobierno=f"INGRESOS TOTALES {ciclo}")] if not tabla.empty else []
    previo = None
    for origen, tipo, (_, r) in zip(tabla.index, _tipos(tabla), tabla.iterrows()):
        orden = _texto(r.get("orden_gobierno"))
        if tipo == "total":
            filas.append(_fila("total", origen, orden_gobierno=_total_ejecutora(_texto(r.get("fuente")), ciclo),
                               fuente="", monto=r.get("monto"), porcentaje=r.get("porcentaje")))
            continue
        mostrar = orden if (tipo == "detalle" and orden != previo) else ""
        previo = orden if tipo == "detalle" else previo
        filas.append(_fila(tipo, origen, orden_gobierno=mostrar, fuente=_texto(r.get("fuente")),
                           monto=r.get("monto"), porcentaje=r.get("porcentaje")))
    return TablaOficial("anexo2_oficial", "anexo2", _marco("anexo2_oficial", filas),
                        {"orden_gobierno": ("orden_gobierno",), "fuente": ("fuente",)})


def anexo2_fundamento(tabla: pd.DataFrame) -> TablaOficial:
    """Anexo 2, second part: each order of government with its total, legal basis and comments."""
    filas = []
    for origen, tipo, (_, r) in zip(tabla.index, _tipos(tabla), tabla.iterrows()):
        if tipo == "subtotal":
            filas.append(_fila("detalle", origen, orden_gobierno=_texto(r.get("orden_gobierno")), monto=r.get("monto"),
                               fundamento_legal=_texto(r.get("fundamento_legal")),
                               comentarios=_texto(r.get("comentarios"))))
    return TablaOficial("anexo2_fundamento", "anexo2", _marco("anexo2_fundamento", filas))


def _simple(clave: str, anexo: str, tabla: pd.DataFrame) -> TablaOficial:
    columnas = [c.clave for c in TABLAS[clave]]
    filas = [_fila("detalle", origen, **{c: r.get(c) for c in columnas}) for origen, (_, r) in zip(tabla.index,
                                                                                                    tabla.iterrows())]
    return TablaOficial(clave, anexo, _marco(clave, filas))


def anexo3(tabla: pd.DataFrame) -> TablaOficial:
    """Anexo 3. Tabla 1: No. · ASM no atendido · Área responsable · Motivos."""
    return _simple("anexo3_oficial", "anexo3", tabla)


def anexo4(tabla: pd.DataFrame) -> TablaOficial:
    """Anexo 4 in one table: «Indicadores MIR Federal», then «Indicadores MIR Estatal», each with its rows."""
    columnas = [c.clave for c in TABLAS["anexo4_oficial"]]
    mir = tabla["mir"].map(_texto) if "mir" in tabla else pd.Series([""] * len(tabla), index=tabla.index)
    orden = ["Federal", "Estatal", *sorted(set(mir) - {"Federal", "Estatal"})]
    filas = []
    for grupo in orden:
        parte = tabla[mir == grupo]
        if parte.empty:
            continue
        if grupo:
            filas.append(_fila(GRUPO, None, nivel=f"Indicadores MIR {grupo}"))
        filas += [_fila("detalle", origen, **{c: r.get(c) for c in columnas})
                  for origen, (_, r) in zip(parte.index, parte.iterrows())]
    return TablaOficial("anexo4_oficial", "anexo4", _marco("anexo4_oficial", filas))


def anexo5(tabla: pd.DataFrame) -> TablaOficial:
    """Anexo 5. Tabla 1: Apartado · Fortalezas/Oportunidades · Debilidades/Amenazas · Recomendaciones · Actores."""
    return _simple("anexo5", "anexo5", tabla)


def anexo7(tabla: pd.DataFrame) -> TablaOficial:
    """Anexo 7: the table of the ASM report format."""
    return _simple("anexo7_oficial", "anexo7", tabla)


def generica(clave: str, anexo: str, tabla: pd.DataFrame, seleccion: tuple[str, ...] | None = None,
             resto: bool = True) -> TablaOficial:
    """A table that is not an official annex (carried-over money, ASM follow-up, findings), printed
    with the columns ``columnas.del_libro`` gives it (``seleccion`` of them, and the rest with ``resto``)."""
    filas = tabla.copy()
    if "tipo_fila" not in filas:
        filas["tipo_fila"] = "detalle"
    filas["origen"] = list(tabla.index)
    return TablaOficial(clave, anexo, filas.reset_index(drop=True), seleccion=seleccion,
                        resto=resto or seleccion is None)


_SEG_ASM = ("evaluacion_origen", "ciclo_origen", "numero", "aspecto", "tipo", "prioridad", "area_responsable",
            "accion")
_SEG_AVANCE = ("ciclo_origen", "numero", "fecha_inicio", "fecha_termino", "avance", "avance_promedio_asm",
               "estatus", "dias_vencido", "documento_probatorio", "observaciones")

#: How each printed table is built from its annex table (``ciclo`` for the labels that carry it).
CONSTRUCTORES = {
    "anexo1": lambda t, ciclo: anexo1(t),
    "anexo1_arrastre": lambda t, ciclo: generica("anexo1_arrastre", "anexo1_arrastre", t),
    "anexo2": anexo2,
    "anexo2_fundamento": lambda t, ciclo: anexo2_fundamento(t),
    "anexo3": lambda t, ciclo: anexo3(t),
    "anexo4": lambda t, ciclo: anexo4(t),
    "anexo5": lambda t, ciclo: anexo5(t),
    "anexo7": lambda t, ciclo: anexo7(t),
    "seguimiento": lambda t, ciclo: generica("seguimiento", "seguimiento", t),
    "seguimiento_asm": lambda t, ciclo: generica("seguimiento", "seguimiento", t, _SEG_ASM, resto=False),
    "seguimiento_avance": lambda t, ciclo: generica("seguimiento", "seguimiento", t, _SEG_AVANCE),
    "conteos_asm": lambda t, ciclo: generica("conteos_asm", "conteos_asm", t),
}


def construir(nombre: str, tabla: pd.DataFrame, ciclo: int) -> TablaOficial:
    """The printed table ``nombre`` (a key of :data:`CONSTRUCTORES`) of the annex table ``tabla``."""
    return CONSTRUCTORES[nombre](tabla, ciclo)


# --------------------------------------------------------------------------------------------
# Anexo 6 (the CONAC form) and the header block of Anexo 7
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampoFormulario:
    """One field of the printed CONAC form: label, value ('' when blank), options (the chosen one
    is ``valor``), and the index label of its row in Anexo 6 (where its marks land)."""

    etiqueta: str
    valor: str
    opciones: tuple[str, ...]
    origen: object

    def opciones_marcadas(self, elegida: str, libre: str, espacio: str) -> str:
        """The options with the chosen one marked: «(X) Poder Ejecutivo    (   ) Poder Legislativo…»
        (``elegida``/``libre`` are the writer's boxes, ``espacio`` what joins box and option); a value
        that is not one of the options is added at the end, marked, so it is never lost."""
        partes = [f"{elegida if o == self.valor else libre}{espacio}{o}" for o in self.opciones]
        if self.valor and self.valor not in self.opciones:
            partes.append(f"{elegida}{espacio}{self.valor}")
        return "    ".join(partes)


def formulario(tabla: pd.DataFrame) -> list[tuple[str, list[CampoFormulario]]]:
    """The CONAC form as printed: (numbered section, its fields) in the form's order."""
    por_etiqueta = {c.etiqueta: c for c in FORMATO_CONAC}
    secciones: dict[str, list[CampoFormulario]] = {}
    for origen, (_, r) in zip(tabla.index, tabla.iterrows()):
        campo = por_etiqueta.get(_texto(r.get("campo")))
        opciones = campo.opciones if campo is not None and campo.tipo == "opcion" else ()
        secciones.setdefault(_texto(r.get("seccion")), []).append(
            CampoFormulario(_texto(r.get("campo")), _texto(r.get("valor")), opciones, origen))
    return list(secciones.items())


def encabezado_anexo7(datos: DatosEstado) -> list[tuple[str, str]]:
    """(label, value) of the header block of the ASM report format; a value not captured prints empty."""
    ficha = datos.ficha or {}

    def dato(*claves: str) -> str:
        return next((_texto(ficha.get(c)) for c in claves if _texto(ficha.get(c))), "")

    responsable = ", ".join(p for p in (dato("responsable_seguimiento"), dato("unidad_responsable")) if p)
    valores = {"dependencia": dato("dependencia", "ejecutora"), "responsable": responsable,
               "documento": dato("documento_trabajo"), "periodo": f"Ejercicio fiscal {datos.ciclo}",
               "fondo": f"{datos.fondo.nombre} ({datos.fondo.clave})", "fecha": dato("periodo_asm", "fecha_asm")}
    return [(c.etiqueta, valores[c.clave]) for c in TABLAS["anexo7_encabezado"]]


# --------------------------------------------------------------------------------------------
# Marks
# --------------------------------------------------------------------------------------------


def marcas_de(marcas: pd.DataFrame, anexo: str) -> pd.DataFrame:
    """The marks of one annex, in the order of their numbers."""
    if marcas is None or marcas.empty:
        return marcas.iloc[0:0] if marcas is not None else pd.DataFrame()
    return marcas[marcas["anexo"] == anexo].sort_values("numero", kind="stable")


def marcas_en(tabla: TablaOficial, marcas: pd.DataFrame) -> dict[tuple[int, str], list[int]]:
    """(printed row position, printed column) → mark numbers of the cells of ``tabla`` that carry one."""
    propias = marcas_de(marcas, tabla.anexo)
    if propias.empty:
        return {}
    posicion = {o: i for i, o in enumerate(tabla.filas["origen"]) if o is not None and not vacio(o)}
    celdas: dict[tuple[int, str], list[int]] = {}
    for _, m in propias.iterrows():
        columna = tabla.columna_de(str(m["columna"]))
        fila = posicion.get(m["fila"])
        if columna is not None and fila is not None:
            celdas.setdefault((fila, columna), []).append(int(m["numero"]))
    return celdas


def marcas_formulario(campos: list[tuple[str, list[CampoFormulario]]], marcas: pd.DataFrame) -> dict[object, list[int]]:
    """Anexo 6 row (index label) → its mark numbers."""
    propias = marcas_de(marcas, "anexo6")
    resultado: dict[object, list[int]] = {}
    for _, m in propias.iterrows():
        resultado.setdefault(m["fila"], []).append(int(m["numero"]))
    return resultado


def nota_marcas(marcas: pd.DataFrame, cifras: str = "recalculadas", impresas: set[int] | None = None) -> list[str]:
    """One line per mark: «1. subtotal capítulo 1000, Modificado: reportado $ X; recalculado $ Y (motivo).»
    (:func:`~asm_analysis.publicacion.marcas.partes_marca`). ``impresas``: the numbers of the marks whose
    cells the table prints (all when None); the line of another says the table does not show its cell
    instead of pointing at nothing (a column the official layout leaves out)."""
    lineas = []
    for _, m in marcas.iterrows():
        fuera = impresas is not None and int(m["numero"]) not in impresas
        donde = _texto(m.get("ubicacion")) + (" (celda que esta tabla no muestra)" if fuera else "")
        cifras_marca = "".join(texto for texto, _ in marcas_mod.partes_marca(m, cifras))
        motivo = _texto(m.get("motivo"))
        lineas.append(f"{int(m['numero'])}. {donde}: {cifras_marca}" + (f" ({motivo})." if motivo else "."))
    return lineas


def titulo_documento(datos: DatosEstado) -> str:
    """What the Word and Excel annexes are, at the foot of each printed page (demo data say so)."""
    titulo = f"Anexos EED {datos.fondo.clave} {datos.ciclo} · {datos.estado.nombre}"
    return titulo + " · DATOS DEMO SINTÉTICOS" if datos.demo else titulo


def titulo_marcas(calculo_cifras: str) -> str:
    """The heading of the marks note, saying what the printed figure is."""
    muestra = "la reportada" if calculo_cifras == "reportadas" else "la recalculada"
    return (f"Marcas: cifras que la auditoría disputa; la celda muestra {muestra}, salvo donde la marca dice otra "
            "cosa. Número, ubicación, reportado y recalculado:")


# --------------------------------------------------------------------------------------------
# Source line
# --------------------------------------------------------------------------------------------

#: Sheet of the capture workbook behind each input table, for the source line.
HOJA_LIBRO = {"destino": "destino", "concurrencia": "concurrencia", "indicadores": "indicadores", "asm": "asm",
              "foda": "foda", "ficha": "ficha"}
#: How the source line names each national CSV.
NOMBRE_NACIONAL = {"concurrencia": "concurrencia", "indicadores": "indicadores", "asm": "ASM"}
#: Input tables whose previous year also feeds the annex (key of ``DatosEstado.fuentes``).
ANTERIOR = {"destino": "destino_anterior", "indicadores": "indicadores_anterior", "asm": "asm_anterior",
            "indicadores_srft": "indicadores_srft_anterior"}
#: What the previous year's file gives, by input table.
USO_ANTERIOR = {"destino": "el presupuesto del año anterior", "indicadores": "las columnas del ejercicio anterior",
                "asm": "el seguimiento de ASM del año anterior",
                "indicadores_srft": "las columnas del ejercicio anterior de la MIR federal"}


def _nombres(datos: DatosEstado, tipo: str) -> list[str]:
    return [Path(a["archivo"]).name for a in datos.archivos if a.get("tipo") == tipo]


def _del_ciclo(nombres: list[str], ciclo: int) -> list[str]:
    """Files whose name carries ``ciclo``; all of them when none carries a year of its own."""
    propios = [n for n in nombres if str(ciclo) in n]
    return propios or ([] if any(str(ciclo + 1) in n or str(ciclo - 1) in n for n in nombres) else nombres)


def _archivo_de(datos: DatosEstado, origen: str, tipo_nacional: str, ciclo: int) -> list[str]:
    tipo = {"captura": "captura", "srft": "srft", "nacional": tipo_nacional}.get(origen, origen)
    return _del_ciclo(_nombres(datos, tipo), ciclo)


def _describir(datos: DatosEstado, clave: str, origen: str | None, ciclo: int) -> str | None:
    """One input in words: «libro de captura X (hoja destino)», «SRFT Y, trimestre 4», «CSV nacional Z»."""
    if origen == "captura":
        archivos = _archivo_de(datos, "captura", "captura", ciclo)
        nombre = ", ".join(archivos) if archivos else "libro de captura"
        return f"libro de captura {nombre} (hoja {HOJA_LIBRO.get(clave, clave)})" if archivos else \
            f"libro de captura (hoja {HOJA_LIBRO.get(clave, clave)})"
    if origen == "srft":
        from asm_analysis.publicacion.presentacion import trimestres_srft  # the quarter of each partida

        archivos = ", ".join(_archivo_de(datos, "srft", "srft", ciclo)) or "sin nombre"
        trimestre = trimestres_srft(datos) if ciclo == datos.ciclo and datos.trimestre_srft else ""
        return f"SRFT de la SHCP «Ejercicio del gasto» ({archivos}{', ' + trimestre if trimestre else ''})"
    if origen == "srft_indicadores":
        archivos = ", ".join(_archivo_de(datos, "srft_indicadores", "srft_indicadores", ciclo)) or "sin nombre"
        return f"SRFT de la SHCP, exportación del módulo Indicadores ({archivos})"
    if origen == "srft_proyectos":
        archivos = ", ".join(_archivo_de(datos, "proyectos", "proyectos", ciclo)) or "sin nombre"
        return f"SRFT de la SHCP, exportación de proyectos «Destino del gasto» ({archivos})"
    if origen == "nacional":
        archivos = ", ".join(_archivo_de(datos, "nacional", clave, ciclo)) or "sin nombre"
        return f"CSV nacional de {NOMBRE_NACIONAL.get(clave, clave)} ({archivos})"
    return None


def entradas_de(datos: DatosEstado, fuentes: tuple[str, ...]) -> list[str]:
    """Every input file behind a table fed by ``fuentes`` (keys of ``datos.fuentes``, ``ficha``, ``srft``),
    the previous year's included, in words."""
    partes: list[str] = []
    for clave in fuentes:
        if clave == "ficha":
            origen = "captura" if datos.ficha else None
        elif clave == "srft":
            origen = "srft" if not datos.arrastre.empty else None
        else:
            origen = datos.fuentes.get(clave)
        texto = _describir(datos, clave, origen, datos.ciclo)
        if texto:
            partes.append(texto)
        if clave == "destino" and origen != "srft" and not datos.srft.empty:
            cotejo = _describir(datos, "srft", "srft", datos.ciclo)
            partes.append(f"{cotejo}, con el que se cotejan los importes")
        anterior = ANTERIOR.get(clave)
        if anterior and datos.fuentes.get(anterior):
            previo = _describir(datos, clave, datos.fuentes[anterior], datos.ciclo - 1)
            if previo and previo == texto and partes and partes[-1] == texto:
                partes[-1] = f"{texto}, también para {USO_ANTERIOR[clave]} ({datos.ciclo - 1})"
            elif previo:
                partes.append(f"{previo}, {USO_ANTERIOR[clave]} ({datos.ciclo - 1})")
    return _juntar_hojas(list(dict.fromkeys(partes)))


_HOJA = re.compile(r"^libro de captura (.+) \(hoja (\w+)\)$")


def _juntar_hojas(partes: list[str]) -> list[str]:
    """«libro X (hoja ficha)» and «libro X (hoja foda)» as one «libro X (hojas ficha y foda)»."""
    hojas: dict[str, list[str]] = {}
    for parte in partes:
        if m := _HOJA.match(parte):
            hojas.setdefault(m.group(1), []).append(m.group(2))
    resultado, hechos = [], set()
    for parte in partes:
        m = _HOJA.match(parte)
        if not m:
            resultado.append(parte)
        elif m.group(1) not in hechos:
            hechos.add(m.group(1))
            lista = hojas[m.group(1)]
            nombre = f"hoja {lista[0]}" if len(lista) == 1 else f"hojas {', '.join(lista[:-1])} y {lista[-1]}"
            resultado.append(f"libro de captura {m.group(1)} ({nombre})")
    return resultado


def linea_fuente(datos: DatosEstado, fuentes: tuple[str, ...], cifras: str, con_cifras: bool = True) -> str:
    """The line under a table: which figures these are and every input file behind them.

    ``cifras`` is the report's mode (``recalculadas``/``reportadas``); ``con_cifras`` is False for
    a table of texts (ASM, FODA), which only names its sources. «Transcrito tal como se publicó»
    (what a transcribed published workbook declares in its ficha) is quoted only where it is
    true: figures as reported, from that workbook.
    """
    partes = entradas_de(datos, fuentes)
    lista = "; ".join(partes) if partes else "sin datos de entrada para esta tabla"
    if not con_cifras:
        texto = f"Fuente: {lista}."
    elif cifras == "reportadas":
        texto = f"Cifras reportadas en las entradas, tal como las trae cada celda: {lista}."
        if any(p.startswith("libro de captura") for p in partes):
            texto = f"Cifras reportadas en el libro de captura, tal como las trae cada celda. Fuente: {lista}."
    else:
        texto = (f"Cifras recalculadas por asm-analysis (subtotales, totales, porcentajes y cumplimientos) a "
                 f"partir de: {lista}.")
    declarada = _texto((datos.ficha or {}).get("fuente"))
    usa_libro = any(p.startswith("libro de captura") for p in partes)
    if usa_libro and declarada and cifras == "reportadas":
        texto += f" Según la ficha del libro: {declarada}"
    if datos.demo:
        texto += " DATOS DEMO SINTÉTICOS."
    return texto
