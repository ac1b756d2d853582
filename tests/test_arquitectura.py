"""The package layout is the pipeline: each stage imports only the stages before it, and no cycles.

Every ``import`` is read from the source (those inside functions too, which is where a
cycle hides), so a new upward import fails here before it fails at run time.
"""

from __future__ import annotations

import ast
from pathlib import Path



PAQUETE = Path(__file__).resolve().parents[1] / "src" / "asm_analysis"

#: The stages in pipeline order; a module may import its own stage and the ones before it.
ETAPAS = ["comun", "entradas", "anexos", "auditoria", "publicacion", "ejecucion"]


def _nombre(ruta: Path) -> str:
    partes = list(ruta.relative_to(PAQUETE.parent).with_suffix("").parts)
    if partes[-1] == "__init__":
        partes.pop()
    return ".".join(partes)


def _modulos() -> dict[str, Path]:
    return {_nombre(p): p for p in sorted(PAQUETE.rglob("*.py"))}


def _importados(ruta: Path, modulos: dict[str, Path]) -> set[str]:
    """The package modules ``ruta`` imports, anywhere in the file (``from X import y`` counts y when it is a module)."""
    salida = set()
    for nodo in ast.walk(ast.parse(ruta.read_text(encoding="utf-8"))):
        if isinstance(nodo, ast.Import):
            nombres = [a.name for a in nodo.names]
        elif isinstance(nodo, ast.ImportFrom) and nodo.module and nodo.level == 0:
            nombres = [nodo.module] + [f"{nodo.module}.{a.name}" for a in nodo.names]
        else:
            continue
        salida |= {n for n in nombres if n in modulos}
    return salida


def _etapa(modulo: str) -> int | None:
    partes = modulo.split(".")
    return ETAPAS.index(partes[1]) if len(partes) > 1 and partes[1] in ETAPAS else None


def _grafo() -> dict[str, set[str]]:
    modulos = _modulos()
    return {m: _importados(r, modulos) - {m} for m, r in modulos.items()}


def test_cada_etapa_importa_solo_las_anteriores():
    grafo = _grafo()
    assert len(grafo) > 30 and all(_etapa(m) is not None for m in grafo if m.count(".") == 2)
    subidas = sorted(f"{m} → {i}" for m, imps in grafo.items() for i in imps
                     if _etapa(m) is not None and _etapa(i) is not None and _etapa(i) > _etapa(m))
    assert subidas == []


def _ciclos(grafo: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    indice, bajo, pila, en_pila, componentes = {}, {}, [], set(), []

    def visitar(v: str) -> None:
        indice[v] = bajo[v] = len(indice)
        pila.append(v)
        en_pila.add(v)
        for w in grafo.get(v, ()):
            if w not in indice:
                visitar(w)
                bajo[v] = min(bajo[v], bajo[w])
            elif w in en_pila:
                bajo[v] = min(bajo[v], indice[w])
        if bajo[v] == indice[v]:
            comp = []
            while True:
                w = pila.pop()
                en_pila.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                componentes.append(sorted(comp))

    for v in sorted(grafo):
        if v not in indice:
            visitar(v)
    return componentes


def test_sin_ciclos_de_importacion():
    # a package's __init__ re-exporting its modules is not a cycle of logic: count module → module edges only
    grafo = _grafo()
    sin_paquetes = {m: {i for i in imps if not (m.startswith(i + ".") and _modulos()[i].name == "__init__.py")}
                    for m, imps in grafo.items()}
    assert _ciclos(sin_paquetes) == []


def test_el_detector_encuentra_un_ciclo_plantado():
    assert _ciclos({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _ciclos({"a": {"b"}, "b": set()}) == []
