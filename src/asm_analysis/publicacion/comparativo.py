"""National comparison: one tidy row per state with the headline figures of its report.

Every number comes from :func:`asm_analysis.auditoria.calcular` on the state's own data, so
the comparison page and the 32 state pages can never disagree. States without data for the
(ciclo, fondo) are listed apart with the reason instead of stopping the comparison.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from asm_analysis.entradas import catalogos
from asm_analysis.comun.errores import ErrorEntrada

COLUMNAS = [
    "cve_ent", "estado", "demo", "aprobado", "modificado", "devengado", "pagado", "pct_ejercido",
    "participacion_federal", "ind_verde", "ind_amarillo", "ind_rojo", "ind_sobre", "ind_sin_valor", "ind_total",
    "pct_ind_verde", "cumplimiento_mediano", "asm_total", "asm_atendidos", "asm_en_proceso", "asm_vencidos",
    "asm_sin_avance", "asm_pendientes", "hallazgos_error", "hallazgos_advertencia", "hallazgos_info",
]

#: Metrics compared with the national median: column → (Spanish label, format, direction).
#: The direction says whether a higher value is better (True), worse (False), or neither (None):
#: the federal participation is a share of the agency's money, not a performance, so a state above
#: or below the median is shown neutral, never as better or worse.
METRICAS_MEDIANA: dict[str, tuple[str, str, bool | None]] = {
    "pct_ejercido": ("Porcentaje ejercido", "pct", True),
    "participacion_federal": ("Participación federal", "pct", None),
    "pct_ind_verde": ("Indicadores en verde", "pct", True),
    "cumplimiento_mediano": ("Cumplimiento mediano de indicadores", "pct", True),
    "asm_pendientes": ("ASM pendientes", "entero", False),
    "hallazgos_error": ("Errores de la auditoría", "entero", False),
}


def juicio(metrica: str, posicion: str | None) -> str | None:
    """``mejor`` / ``peor`` than the national median for a metric with a direction; None otherwise
    (a share such as the federal participation, a state at the median, or no value)."""
    direccion = METRICAS_MEDIANA[metrica][2]
    if direccion is None or posicion not in ("arriba", "abajo"):
        return None
    return "mejor" if (posicion == "arriba") == direccion else "peor"


@dataclass
class Comparativo:
    """The per-state table, the states left out (with the reason) and the inputs used."""

    ciclo: int
    fondo: catalogos.Fondo
    tabla: pd.DataFrame
    sin_datos: pd.DataFrame
    archivos: list[dict] = field(default_factory=list)

    @property
    def demo(self) -> bool:
        return bool(self.tabla["demo"].any()) if not self.tabla.empty else False


def fila_estado(datos, anexos) -> dict[str, object]:
    """The comparison row of one state from its data and annexes (plain Python values: it goes to JSON)."""
    r = anexos.resumen
    sem = r.get("semaforo") or {}
    asm = r.get("asm") or {}
    h = r.get("hallazgos") or {}
    ind_total = int(sum(sem.values()))
    valorados = ind_total - int(sem.get("Sin valor", 0))
    asm_total = int(sum(asm.values()))
    cumplimiento = pd.to_numeric(anexos.anexo4.get("cumplimiento", pd.Series(dtype=float)), errors="coerce")
    fila = {
        "cve_ent": datos.estado.cve_ent, "estado": datos.estado.nombre, "demo": bool(datos.demo),
        "aprobado": r.get("aprobado"), "modificado": r.get("modificado"), "devengado": r.get("devengado"),
        "pagado": r.get("pagado"), "pct_ejercido": r.get("pct_ejercido"),
        "participacion_federal": r.get("participacion_federal"),
        "ind_verde": int(sem.get("Verde", 0)), "ind_amarillo": int(sem.get("Amarillo", 0)),
        "ind_rojo": int(sem.get("Rojo", 0)), "ind_sobre": int(sem.get("Sobrecumplimiento", 0)),
        "ind_sin_valor": int(sem.get("Sin valor", 0)), "ind_total": ind_total,
        "pct_ind_verde": round(sem.get("Verde", 0) / valorados * 100, 2) if valorados else np.nan,
        "cumplimiento_mediano": round(float(cumplimiento.median()), 2) if cumplimiento.notna().any() else np.nan,
        "asm_total": asm_total, "asm_atendidos": int(asm.get("Atendido", 0)),
        "asm_en_proceso": int(asm.get("En proceso", 0)), "asm_vencidos": int(asm.get("Vencido", 0)),
        "asm_sin_avance": int(asm.get("Sin avance reportado", 0)),
        "asm_pendientes": asm_total - int(asm.get("Atendido", 0)),
        "hallazgos_error": int(h.get("error", 0)), "hallazgos_advertencia": int(h.get("advertencia", 0)),
        "hallazgos_info": int(h.get("info", 0)),
    }
    return {k: v.item() if isinstance(v, np.generic) else v for k, v in fila.items()}


def fila_de_informe(carpeta: str | Path, huella: str) -> tuple[dict, list[dict]] | None:
    """A state's comparison row and input files as its report wrote them, when that report is current.

    ``carpeta`` is the state's report folder and ``huella`` the fingerprint a run from
    today's data would have (``ejecucion.huella``): the row is used only when the manifest
    says ``ok``, carries that fingerprint and the row. Otherwise None (the caller computes it).
    """
    try:
        manifiesto = json.loads((Path(carpeta) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (not isinstance(manifiesto, dict) or manifiesto.get("estado") != "ok" or not huella
            or manifiesto.get("huella") != huella or not isinstance(manifiesto.get("fila_comparativo"), dict)):
        return None
    return manifiesto["fila_comparativo"], list(manifiesto.get("entradas") or [])


def calcular(data_dir: str | Path, ciclo: int, fondo: str, actualizar: bool = True,
             estados: list[str] | None = None, informes: dict[str, dict] | None = None,
             tolerancias: str | Path | None = None) -> Comparativo:
    """Every state's row: read from its current report when there is one, else computed here.

    ``informes`` maps a ``cve_ent`` to ``{"carpeta": …, "huella": …}`` (what ``batch`` has
    just generated or found up to date, see :func:`fila_de_informe`): those states are not
    computed again. The others (and every state when the notebook runs alone) are loaded and
    computed with :func:`asm_analysis.auditoria.calcular` and the tolerances in force
    (:meth:`~asm_analysis.auditoria.Tolerancias.en_vigor` of ``data_dir`` and ``tolerancias``),
    refreshing the store once first when ``actualizar``.
    """
    from asm_analysis import auditoria
    from asm_analysis.entradas import datos as datos_mod

    fon = catalogos.resolver_fondo(fondo)
    if actualizar:
        from asm_analysis.entradas.ingesta import ingerir

        ingerir(Path(data_dir))
    claves = [catalogos.resolver_estado(e).cve_ent for e in estados] if estados else list(catalogos.estados()["cve_ent"])
    informes = informes or {}
    tol = auditoria.Tolerancias.en_vigor(Path(data_dir), Path(tolerancias) if tolerancias else None)
    filas, faltan, archivos = [], [], {}
    for cve in claves:
        est = catalogos.resolver_estado(cve)
        informe = informes.get(cve) or {}
        leida = fila_de_informe(informe["carpeta"], informe.get("huella")) if informe.get("carpeta") else None
        if leida is not None:
            filas.append(leida[0])
            for arch in leida[1]:
                archivos.setdefault(arch["archivo"], arch)
            continue
        try:
            d = datos_mod.cargar(data_dir, cve, ciclo, fon.clave, actualizar=False)
        except ErrorEntrada as exc:
            faltan.append({"cve_ent": cve, "estado": est.nombre, "motivo": exc.motivo})
            continue
        a = auditoria.calcular(d, tol)
        filas.append(fila_estado(d, a))
        for arch in d.archivos:
            archivos.setdefault(arch["archivo"], arch)
    tabla = pd.DataFrame(filas, columns=COLUMNAS)
    sin_datos = pd.DataFrame(faltan, columns=["cve_ent", "estado", "motivo"])
    return Comparativo(int(ciclo), fon, tabla, sin_datos, sorted(archivos.values(), key=lambda a: a["archivo"]))


def medianas(tabla: pd.DataFrame) -> dict[str, float]:
    """National median of each compared metric (over the states with a value)."""
    return {c: float(tabla[c].median()) if c in tabla and tabla[c].notna().any() else np.nan
            for c in METRICAS_MEDIANA}


def contra_mediana(tabla: pd.DataFrame) -> pd.DataFrame:
    """Each state's value and distance to the national median, metric by metric (tidy).

    Columns: cve_ent, estado, metrica, etiqueta, valor, mediana, diferencia, posicion
    (``arriba``, ``abajo``, ``igual`` of the median; for ASM pendientes fewer is better but
    the position is still stated against the number).
    """
    med = medianas(tabla)
    filas = []
    for _, f in tabla.iterrows():
        for col, (etiqueta, _, _) in METRICAS_MEDIANA.items():
            valor = f.get(col)
            m = med[col]
            if pd.isna(valor) or pd.isna(m):
                dif, posicion = np.nan, None
            else:
                dif = round(float(valor) - m, 2)
                posicion = "igual" if abs(dif) < 0.005 else ("arriba" if dif > 0 else "abajo")
            filas.append({"cve_ent": f["cve_ent"], "estado": f["estado"], "metrica": col, "etiqueta": etiqueta,
                          "valor": valor, "mediana": m, "diferencia": dif, "posicion": posicion})
    return pd.DataFrame(filas, columns=["cve_ent", "estado", "metrica", "etiqueta", "valor", "mediana", "diferencia",
                                        "posicion"])


def resumen_nacional(comp: Comparativo) -> dict[str, object]:
    """Headline figures of the comparison."""
    t = comp.tabla
    med = medianas(t)
    return {
        "estados_con_datos": int(len(t)), "estados_sin_datos": int(len(comp.sin_datos)),
        "modificado": float(t["modificado"].sum()) if not t.empty else np.nan,
        "devengado": float(t["devengado"].sum()) if not t.empty else np.nan,
        "pct_ejercido_nacional": (float(t["devengado"].sum() / t["modificado"].sum() * 100)
                                  if not t.empty and t["modificado"].sum() else np.nan),
        "mediana_pct_ejercido": med["pct_ejercido"],
        "indicadores": {s: int(t[c].sum()) for s, c in (("Verde", "ind_verde"), ("Amarillo", "ind_amarillo"),
                                                        ("Rojo", "ind_rojo"), ("Sobrecumplimiento", "ind_sobre"),
                                                        ("Sin valor", "ind_sin_valor"))},
        "asm_total": int(t["asm_total"].sum()), "asm_pendientes": int(t["asm_pendientes"].sum()),
        "asm_vencidos": int(t["asm_vencidos"].sum()),
        "hallazgos": {"error": int(t["hallazgos_error"].sum()), "advertencia": int(t["hallazgos_advertencia"].sum()),
                      "info": int(t["hallazgos_info"].sum())},
    }
