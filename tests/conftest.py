"""Shared fixtures: one private, ingested copy of the shipped data for read-only tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from asm_analysis import ingest

RAIZ = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def datos_compartidos(tmp_path_factory) -> Path:
    """A copy of ``data/raw`` ingested once per session (the repository's data/processed is never touched).

    Tests that change inputs must make their own copy instead.
    """
    carpeta = tmp_path_factory.mktemp("datos_compartidos")
    shutil.copytree(RAIZ / "data" / "raw", carpeta / "raw")
    ingest.ingerir(carpeta)
    return carpeta
