"""Shared fixtures: private, ingested copies of the shipped data for read-only tests.

``datos_compartidos`` is ``data/raw`` (published transcriptions only: the Aguascalientes 2024
IMSS-BIENESTAR workbook and the published ASM CSVs); ``datos_demo`` is ``data/demo/raw`` (the
synthetic SRFT and national CSVs of the 32 states). The two are never mixed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from asm_analysis.entradas import ingesta

#: Property tests: 60 examples in the whole suite; ``make test-rapido`` passes
#: ``--hypothesis-profile=rapido`` (12 examples) to stay in its minute.
settings.register_profile("completo", max_examples=60, deadline=None)
settings.register_profile("rapido", max_examples=12, deadline=None)
settings.load_profile("completo")

RAIZ = Path(__file__).resolve().parents[1]
RAW = RAIZ / "data" / "raw"
RAW_DEMO = RAIZ / "data" / "demo" / "raw"


def _copia_ingerida(tmp_path_factory, nombre: str, raw: Path) -> Path:
    carpeta = tmp_path_factory.mktemp(nombre)
    shutil.copytree(raw, carpeta / "raw")
    ingesta.ingerir(carpeta)
    return carpeta


@pytest.fixture(scope="session")
def datos_compartidos(tmp_path_factory) -> Path:
    """A copy of ``data/raw`` ingested once per session (the repository's data/processed is never touched).

    Tests that change inputs must make their own copy instead.
    """
    return _copia_ingerida(tmp_path_factory, "datos_compartidos", RAW)


@pytest.fixture(scope="session")
def datos_demo(tmp_path_factory) -> Path:
    """A copy of ``data/demo/raw`` (the synthetic demo set) ingested once per session.

    The demo states (Coahuila 05, Jalisco 14, Veracruz 30 with planted errors, the batch of
    32 states) are read from here. Tests that change inputs must make their own copy instead.
    """
    return _copia_ingerida(tmp_path_factory, "datos_demo", RAW_DEMO)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under ``-m "not lenta"`` (``make test-rapido``), do not even import a module that is slow
    as a whole (``pytestmark = pytest.mark.lenta``): importing nbformat, papermill and nbconvert
    costs each test worker seconds for tests it would deselect anyway."""
    if (config.getoption("markexpr") == "not lenta" and collection_path.suffix == ".py"
            and collection_path.name.startswith("test_")):
        return "\npytestmark = pytest.mark.lenta" in collection_path.read_text(encoding="utf-8") or None
    return None
