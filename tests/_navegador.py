"""Drive headless Chromium through the DevTools protocol (over ``--remote-debugging-pipe``).

Headless Chromium will not make a window narrower than 500 px, so a phone width (390 px) is
set with ``Emulation.setDeviceMetricsOverride``. The page's own Content-Security-Policy
forbids scripts; measurements run as DevTools ``Runtime.evaluate`` calls (outside the page),
so the page under test is the real file, unchanged. No network, no extra package: the
protocol runs over two pipes (file descriptors 3 and 4 of the browser process).
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from pathlib import Path


class Navegador:
    """One headless Chromium with one page; ``with Navegador(ruta, perfil) as n: …``."""

    def __init__(self, chromium: str, perfil: Path):
        self.chromium = chromium
        self.perfil = perfil
        self._id = 0
        self._buffer = b""
        self.sesion: str | None = None

    def __enter__(self) -> "Navegador":
        a_chrome_r, a_chrome_w = os.pipe()
        de_chrome_r, de_chrome_w = os.pipe()

        def _fds():  # in the child: commands on fd 3, responses on fd 4
            os.dup2(a_chrome_r, 3)
            os.dup2(de_chrome_w, 4)

        self.proc = subprocess.Popen(
            [self.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--hide-scrollbars", f"--user-data-dir={self.perfil}", "--remote-debugging-pipe", "about:blank"],
            preexec_fn=_fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(a_chrome_r)
        os.close(de_chrome_w)
        self._w = os.fdopen(a_chrome_w, "wb", buffering=0)
        self._r = os.fdopen(de_chrome_r, "rb", buffering=0)
        objetivo = self.enviar("Target.createTarget", {"url": "about:blank"}, sesion=False)["targetId"]
        self.sesion = self.enviar("Target.attachToTarget", {"targetId": objetivo, "flatten": True},
                                  sesion=False)["sessionId"]
        self.enviar("Page.enable")
        self.enviar("Runtime.enable")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.enviar("Browser.close", sesion=False, esperar=False)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._w.close()
        self._r.close()

    def _leer(self, limite: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > limite:
                raise TimeoutError("Chromium no respondió a tiempo")
            trozo = self._r.read(1 << 16)
            if not trozo:
                raise OSError("Chromium cerró el canal de depuración")
            self._buffer += trozo
        mensaje, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(mensaje)

    def enviar(self, metodo: str, params: dict | None = None, *, sesion: bool = True, esperar: bool = True,
               plazo: float = 120.0) -> dict:
        self._id += 1
        orden = {"id": self._id, "method": metodo, "params": params or {}}
        if sesion and self.sesion:
            orden["sessionId"] = self.sesion
        self._w.write(json.dumps(orden).encode() + b"\0")
        if not esperar:
            return {}
        limite = time.monotonic() + plazo
        while True:
            m = self._leer(limite)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{metodo}: {m['error']}")
                return m.get("result", {})
            self._eventos.append(m) if hasattr(self, "_eventos") else None

    def esperar_evento(self, metodo: str, plazo: float = 120.0) -> dict:
        limite = time.monotonic() + plazo
        while True:
            m = self._leer(limite)
            if m.get("method") == metodo:
                return m.get("params", {})

    def abrir(self, ruta: Path, ancho: int, alto: int = 900, movil: bool = False) -> None:
        """Load ``ruta`` in a viewport of ``ancho`` × ``alto`` CSS px and wait for ``load``."""
        self.enviar("Emulation.setDeviceMetricsOverride",
                    {"width": ancho, "height": alto, "deviceScaleFactor": 1, "mobile": movil})
        self.enviar("Page.navigate", {"url": Path(ruta).resolve().as_uri()})
        self.esperar_evento("Page.loadEventFired")

    def evaluar(self, expresion: str):
        """Value of a JavaScript expression evaluated by DevTools in the page (JSON-able)."""
        r = self.enviar("Runtime.evaluate", {"expression": expresion, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise RuntimeError(r["exceptionDetails"])
        return r["result"].get("value")

    def captura(self, png: Path) -> Path:
        """A screenshot of the whole page (beyond the viewport) as PNG."""
        r = self.enviar("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        png.write_bytes(base64.b64decode(r["data"]))
        return png


#: What the browser test measures, as one JavaScript expression returning a JSON-able object.
MEDIDAS = r"""
(function () {
  var de = document.documentElement;
  var visible = function (e) { return e.checkVisibility ? e.checkVisibility() : e.getClientRects().length > 0; };
  var r = {ancho_ventana: window.innerWidth, pagina: {scroll: de.scrollWidth, client: de.clientWidth},
           tablas: [], plegadas: [], grupos: [], imagenes: [], resumen_reglas: []};
  document.querySelectorAll('.tabla-contenedor').forEach(function (c) {
    var t = c.querySelector('table');
    var cap = t.querySelector('caption');
    var recortadas = [];
    t.querySelectorAll('td, th').forEach(function (td) {
      if (visible(td) && td.scrollWidth > td.clientWidth + 1) recortadas.push(td.textContent.slice(0, 60));
    });
    r.tablas.push({clase: t.className, titulo: cap ? cap.textContent : '', scroll: c.scrollWidth,
                   client: c.clientWidth, tabla: Math.ceil(t.getBoundingClientRect().width),
                   recortadas: recortadas});
  });
  document.querySelectorAll('details.ceros').forEach(function (d) {
    var li = Array.prototype.slice.call(d.querySelectorAll('li'));
    r.plegadas.push({open: d.open, total: li.length, visibles: li.filter(visible).length,
                     claves: li.map(function (x) { return x.querySelector('.clave').textContent; }),
                     resumen: d.querySelector('summary').textContent, alto_resumen: d.getBoundingClientRect().height});
  });
  document.querySelectorAll('section.grupo-regla').forEach(function (g) {
    var a = g.previousElementSibling;
    while (a && !a.matches('h3.hallazgos-anexo')) a = a.previousElementSibling;
    r.grupos.push({regla: g.getAttribute('data-regla'), anexo: a ? a.textContent : null,
                   filas: g.querySelectorAll('tbody tr').length,
                   corregir: (g.querySelector('p.corregir') || {}).textContent || ''});
  });
  document.querySelectorAll('table.resumen-reglas tbody tr').forEach(function (tr) {
    r.resumen_reglas.push(Array.prototype.map.call(tr.children, function (td) { return td.textContent.trim(); }));
  });
  document.querySelectorAll('figure.grafica img').forEach(function (i) {
    r.imagenes.push({ancho: i.getBoundingClientRect().width, figura: i.closest('figure').clientWidth,
                     natural: i.naturalWidth, movil: i.currentSrc !== i.src});
  });
  return r;
})()
"""

ABRIR_PLEGADAS = """
(function () { document.querySelectorAll('details.ceros').forEach(function (d) { d.open = true; }); return true; })()
"""
