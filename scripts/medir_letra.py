"""Write ``src/asm_analysis/data/anchos_letra.json``: advance widths of Arial's metric twin.

The Word and Excel annexes name Arial; LibreOffice renders it with Liberation Sans, whose
advance widths are Arial's by design. :mod:`asm_analysis.publicacion.tipografia` measures
cell texts with this table (regular and bold, in font units) to size columns so that no word
or amount breaks across lines. Run once where Liberation Sans is installed (Debian
``fonts-liberation``); the output is committed and never read from the machine's fonts.

Usage: ``python scripts/medir_letra.py [carpeta de las fuentes]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

RAIZ = Path(__file__).resolve().parents[1]
SALIDA = RAIZ / "src" / "asm_analysis" / "data" / "anchos_letra.json"
CARPETA = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/fonts/truetype/liberation")
CARACTERES = ([chr(c) for c in range(32, 127)] + [chr(c) for c in range(160, 384)]
              + list("–—‘’‚“”„•…€‰′″⁽⁾"))


def anchos(archivo: Path) -> tuple[int, dict[str, int]]:
    fuente = TTFont(archivo)
    mapa, metricas = fuente.getBestCmap(), fuente["hmtx"].metrics
    return fuente["head"].unitsPerEm, {c: metricas[mapa[ord(c)]][0] for c in CARACTERES if ord(c) in mapa}


def main() -> None:
    unidades, regular = anchos(CARPETA / "LiberationSans-Regular.ttf")
    _, negrita = anchos(CARPETA / "LiberationSans-Bold.ttf")
    datos = {"fuente": "Liberation Sans (métricas de Arial)", "unidades": unidades, "regular": regular,
             "negrita": negrita}
    SALIDA.write_text(json.dumps(datos, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    print(SALIDA)


if __name__ == "__main__":
    main()
