"""Where the fund went, geographically: the SRFT projects of the fund grouped by municipality.

The CONEVAL model terms of reference for the Ramo 33 funds ask Anexo 1 for the geographic
distribution of the fund. The SRFT «destino del gasto» export gives it per project: who pays
(its funding sources, packed with the programme key), how much was modified, devengado and
paid (cumulative to the quarter), its status and where it is (its georeferences).

Rules (each figure is what an evaluator can recompute from the export):

- a project belongs to the fund when one of its funding sources has the fund's ramo and
  programa presupuestario (``modalidad`` + ``prog_pres``, ``I`` + ``2`` = ``I002``);
- each project counts once, at the last quarter it was reported in the ciclo (amounts are
  cumulative; quarters are never added);
- **modificado** is the sum of the ``modificado`` of the fund's funding sources of the
  project; **devengado** and **pagado** are the project's own columns, which cover all its
  sources: projects that also have other sources are counted apart (``con_otras_fuentes``)
  so the reader knows those amounts are not the fund's alone;
- **location**: the municipality of the project's georeferences; a project whose
  georeferences fall in several municipalities goes to «Varios municipios» (its amount cannot
  be split without a guess); a project with none goes to its responsible municipality
  (``ID_MUNICIPIO_RESPONSABLE``; 0 = executed by the state government, no municipality).
"""

from __future__ import annotations

import pandas as pd

#: Location keys that are not a municipality.
VARIOS = -1
ESTATAL = 0
COLUMNAS = ["cve_municipio", "municipio", "proyectos", "modificado", "devengado", "pagado", "estatus",
            "con_otras_fuentes"]
COLUMNAS_PROYECTO = ["folio", "trimestre", "nombre", "cve_municipio", "ubicacion", "modificado", "devengado", "pagado",
                     "estatus", "otras_fuentes"]


def _vacia(columnas: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columnas)


def proyectos_del_fondo(proyectos: pd.DataFrame, fuentes: pd.DataFrame, geo: pd.DataFrame, ramo: int,
                        modalidad_pp: str) -> pd.DataFrame:
    """One row per project of the fund, at its last reported quarter, with its location and amounts.

    ``ubicacion`` says where the location came from: «georreferencia», «varios municipios» or
    «municipio responsable».
    """
    if proyectos is None or proyectos.empty or fuentes is None or fuentes.empty:
        return _vacia(COLUMNAS_PROYECTO)
    ultimo = proyectos.groupby("folio")["trimestre"].transform("max")
    p = proyectos[proyectos["trimestre"] == ultimo].copy()
    clave = ["folio", "trimestre"]
    f = fuentes.merge(p[clave], on=clave)
    del_fondo = (pd.to_numeric(f["ramo"], errors="coerce") == int(ramo)) & (f["modalidad_pp"] == modalidad_pp)
    modificado = f[del_fondo].groupby(clave)["modificado"].sum(min_count=1).rename("modificado")
    otras = (~del_fondo).groupby([f["folio"], f["trimestre"]]).any().rename("otras_fuentes")
    p = p.merge(modificado.reset_index(), on=clave, how="inner").merge(otras.reset_index(), on=clave, how="left")
    if p.empty:
        return _vacia(COLUMNAS_PROYECTO)
    g = geo.merge(p[clave], on=clave) if geo is not None and not geo.empty else pd.DataFrame(columns=[*clave, "cve_municipio"])
    municipios = g.dropna(subset=["cve_municipio"]).groupby(clave)["cve_municipio"].agg(lambda s: sorted(set(int(x) for x in s)))
    p = p.merge(municipios.rename("_geo").reset_index(), on=clave, how="left")

    def ubicar(fila) -> tuple[int, str]:
        lugares = fila["_geo"] if isinstance(fila["_geo"], list) else []
        if len(lugares) == 1:
            return lugares[0], "georreferencia"
        if len(lugares) > 1:
            return VARIOS, "varios municipios"
        return int(fila["id_municipio"]), "municipio responsable"

    ubicados = p.apply(ubicar, axis=1, result_type="expand") if len(p) else pd.DataFrame(columns=[0, 1])
    p["cve_municipio"], p["ubicacion"] = ubicados[0].astype(int), ubicados[1]
    p["otras_fuentes"] = p["otras_fuentes"].fillna(False).astype(bool)
    return p[COLUMNAS_PROYECTO].sort_values(["cve_municipio", "folio"], kind="mergesort").reset_index(drop=True)


def nombres_municipio(proyectos: pd.DataFrame) -> dict[int, str]:
    """Municipality key → name, from the responsible municipalities the export names."""
    if proyectos is None or proyectos.empty:
        return {}
    t = proyectos.dropna(subset=["id_municipio", "municipio"])
    return {int(k): str(v) for k, v in zip(t["id_municipio"], t["municipio"]) if int(k) > 0}


def _nombre(cve: int, nombres: dict[int, str]) -> str:
    if cve == VARIOS:
        return "Varios municipios"
    if cve == ESTATAL:
        return "Gobierno de la entidad (sin municipio)"
    return nombres.get(cve, f"Municipio con clave {cve:03d}")


def _estatus(serie: pd.Series) -> str:
    cuentas = serie.fillna("Sin estatus").value_counts()
    return "; ".join(f"{estatus}: {n}" for estatus, n in sorted(cuentas.items()))


def distribucion_geografica(por_proyecto: pd.DataFrame, nombres: dict[int, str] | None = None) -> pd.DataFrame:
    """Per municipality: projects, modificado, devengado and pagado of the fund, their status.

    One row per location key (municipalities ascending, then the state government (key 0) and
    «Varios municipios» (no key)); the amounts are sums over the projects of that location.
    """
    if por_proyecto is None or por_proyecto.empty:
        return _vacia(COLUMNAS)
    nombres = nombres or {}
    filas = []
    for cve, g in por_proyecto.groupby("cve_municipio", sort=False):
        filas.append({
            "cve_municipio": int(cve), "municipio": _nombre(int(cve), nombres), "proyectos": int(len(g)),
            **{m: round(float(pd.to_numeric(g[m], errors="coerce").sum()), 2) for m in ("modificado", "devengado", "pagado")},
            "estatus": _estatus(g["estatus"]), "con_otras_fuentes": int(g["otras_fuentes"].sum()),
        })
    t = pd.DataFrame(filas, columns=COLUMNAS)
    orden = t["cve_municipio"].map(lambda c: (1, 0) if c == ESTATAL else (2, 0) if c == VARIOS else (0, c))
    t = t.iloc[sorted(range(len(t)), key=lambda i: orden.iloc[i])].reset_index(drop=True)
    # «Varios municipios» has no key of its own (VARIOS is internal): blank in every output
    t["cve_municipio"] = t["cve_municipio"].astype(object).where(t["cve_municipio"] != VARIOS, None)
    return t


def con_total(tabla: pd.DataFrame) -> pd.DataFrame:
    """The table with a last «Total» row (sums of projects and amounts; status counts merged)."""
    if tabla is None or tabla.empty:
        return tabla
    total = {"cve_municipio": None, "municipio": "Total", "proyectos": int(tabla["proyectos"].sum()),
             **{m: round(float(tabla[m].sum()), 2) for m in ("modificado", "devengado", "pagado")},
             "estatus": _sumar_estatus(tabla["estatus"]), "con_otras_fuentes": int(tabla["con_otras_fuentes"].sum())}
    return pd.concat([tabla, pd.DataFrame([total], columns=COLUMNAS)], ignore_index=True)


def _sumar_estatus(textos: pd.Series) -> str:
    cuentas: dict[str, int] = {}
    for texto in textos:
        for parte in str(texto).split("; "):
            if ": " in parte:
                estatus, n = parte.rsplit(": ", 1)
                cuentas[estatus] = cuentas.get(estatus, 0) + int(n)
    return "; ".join(f"{e}: {n}" for e, n in sorted(cuentas.items()))


def nota(por_proyecto: pd.DataFrame) -> str:
    """What the reader must know to read the table (one Spanish paragraph; "" without projects)."""
    if por_proyecto is None or por_proyecto.empty:
        return ""
    otras = int(por_proyecto["otras_fuentes"].sum())
    varios = int((por_proyecto["cve_municipio"] == VARIOS).sum())
    sin_geo = int((por_proyecto["ubicacion"] == "municipio responsable").sum())
    partes = ["Proyectos del fondo en el módulo de destino del gasto del SRFT, cada uno en el último trimestre "
              "reportado (los importes son acumulados; los trimestres no se suman). El modificado es el de las "
              "fuentes de financiamiento del fondo; el devengado y el pagado son los del proyecto."]
    if otras:
        partes.append(f"{otras} proyecto(s) tienen además otras fuentes de financiamiento: su devengado y pagado "
                      "incluyen esas fuentes.")
    if varios:
        partes.append(f"{varios} proyecto(s) tienen georreferencias en varios municipios y se agrupan en «Varios "
                      "municipios».")
    if sin_geo:
        partes.append(f"{sin_geo} proyecto(s) sin georreferencia se ubican en su municipio responsable.")
    return " ".join(partes)
