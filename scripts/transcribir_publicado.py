"""Transcribe published EED/ASM figures into the project's raw input formats.

Writes three files from Python literals only (no network, no parsing of the sources):

- ``data/raw/captura/aguascalientes_2024_IMSS-BIENESTAR.xlsx``: capture workbook with the
  annexes of the published EED IMSS-BIENESTAR 2024 of Aguascalientes (ISSEA).
- ``data/raw/asm/publicado_queretaro_fassa_2019.csv``: ASM follow-up (Q4 2020) of the
  FASSA 2019 evaluation, Servicios de Salud del Estado de Querétaro (SESEQ).
- ``data/raw/asm/publicado_imss_bienestar_2022.csv``: institutional ASM of programme S-038
  IMSS-BIENESTAR still open at the September 2022 cut, by evaluation period.

Figures, dates, codes and official names are transcribed exactly as published, including the
published inconsistencies (they are what the tool must catch). Free text (aspects, actions,
justifications, FODA, observations) is a short paraphrase, never a copy.

Output is deterministic: workbook properties use a fixed datetime and the xlsx zip entries a
fixed timestamp, so running the script twice gives identical bytes.

Usage: ``python scripts/transcribir_publicado.py`` from anywhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.writer.excel import ExcelWriter

RAIZ = Path(__file__).resolve().parent.parent
XLSX = RAIZ / "data" / "raw" / "captura" / "aguascalientes_2024_IMSS-BIENESTAR.xlsx"
CSV_QRO = RAIZ / "data" / "raw" / "asm" / "publicado_queretaro_fassa_2019.csv"
CSV_IMSSB = RAIZ / "data" / "raw" / "asm" / "publicado_imss_bienestar_2022.csv"

FECHA_FIJA = dt.datetime(2025, 1, 1, 0, 0, 0)
ZIP_FECHA = (2025, 1, 1, 0, 0, 0)

# ---------------------------------------------------------------------------------------------
# Aguascalientes, EED IMSS-BIENESTAR 2024 (ISSEA). Capture workbook.
# ---------------------------------------------------------------------------------------------

FICHA_COLUMNAS = ["campo", "valor"]
FICHA = [
    ("estado", "Aguascalientes"),
    ("ciclo", "2024"),
    ("fondo", "IMSS-BIENESTAR"),
    ("ejecutora", "Instituto de Servicios de Salud del Estado de Aguascalientes (ISSEA)"),
    ("instancia_evaluadora", "CISDOMI"),
    ("fecha_corte", "31/12/2024"),
    (
        "fuente",
        "Anexos de la EED IMSS-BIENESTAR 2024 de Aguascalientes publicada; transcritos tal "
        "como se publicaron, incluidas sus inconsistencias.",
    ),
    (
        "nombre_evaluacion",
        "Evaluación Específica del Desempeño al Programa IMSS-BIENESTAR; Ejercicio Fiscal 2024",
    ),
    ("fecha_inicio", "01/07/2024"),
    ("fecha_termino", "31/12/2024"),
    (
        "objetivo",
        "Valorar cómo se desempeñó el programa en 2024 para obtener información que sirva "
        "para mejorar cómo se gestiona y opera, sus resultados y su rendición de cuentas.",
    ),
    (
        "metodologia",
        "Enfoque mixto en tres etapas (planeación, levantamiento y análisis) con revisión "
        "documental, entrevistas, trabajo de campo, Marco Lógico y análisis FODA.",
    ),
    ("coordinador", "Armando Salcedo Cisneros"),
    ("costo", "163560"),
    ("tipo_contratacion", "Licitación Pública Nacional"),
    ("fuente_financiamiento", "Recursos Propios"),
    ("unidad_responsable", "Dirección de Planeación y Desarrollo"),
    ("dependencia", "Instituto de Servicios de Salud del Estado de Aguascalientes"),
    ("periodo_asm", "octubre 2024"),
    # CONAC form (Anexo 6, Tabla 1): names, dates and figures as published, prose paraphrased.
    ("responsable_seguimiento", "Mtro. Raúl Rafael Anaya Núñez"),
    (
        "objetivos_especificos",
        "1. Valorar el diseño y la planeación del programa: su congruencia con el problema que "
        "atiende, con la normatividad y con la planeación de los órdenes de gobierno, y su "
        "focalización y cobertura.\n"
        "2. Revisar la gestión y operación: programación, presupuestación, transferencia y "
        "seguimiento de los recursos, los procesos principales y la capacitación del personal.\n"
        "3. Valorar cómo se genera, sistematiza y publica la información del ejercicio y el "
        "cumplimiento en transparencia y rendición de cuentas.\n"
        "4. Analizar los resultados con los indicadores de desempeño y el seguimiento dado a las "
        "recomendaciones de evaluaciones anteriores.",
    ),
    ("instrumentos", "Cuestionarios; Entrevistas; Formatos; Otros: Trabajo de Campo"),
    (
        "tecnicas",
        "Análisis de gabinete y de documentos y entrevistas semiestructuradas con el personal; Marco Lógico "
        "aplicado a la MIR y análisis FODA de la gestión.",
    ),
    (
        "principales_hallazgos",
        "La planeación sectorial del ISSEA es técnicamente sólida: el Diagnóstico de Salud 2024 "
        "cubre causas, efectos, brechas y regiones, aunque no fija cada cuándo se actualiza, y sus "
        "objetivos se apegan al Plan de Desarrollo del Estado 2022-2027. La planeación de "
        "recursos está normada, pero no hay evidencia de que las compras del Programa Anual de "
        "Adquisiciones 2024 siguieran el calendario ni se licitaran. Hay mecanismos formales de "
        "reporte (SFU) sin evidencia de los informes trimestrales entregados. La MIR es coherente "
        "en sus lógicas vertical y horizontal, con medios de verificación accesibles.",
    ),
    (
        "fortalezas",
        "Diagnóstico estatal completo y regionalizado que liga la planeación con el presupuesto; "
        "procedimientos escritos para planear y controlar el gasto y un Acuerdo de Coordinación "
        "ISSEA-IMSS-BIENESTAR 2024 que reparte responsabilidades; información homogénea por el SFU; "
        "MIR coherente con medios de verificación institucionales e INDICAS para la calidad.",
    ),
    (
        "oportunidades",
        "La federalización de los servicios de salud y la Agenda 2030 permiten institucionalizar "
        "la actualización anual del diagnóstico, mejorar la coordinación federación-estado, abrir "
        "un micrositio del programa en el portal del ISSEA e incorporar indicadores ligados a los "
        "ODS y comparaciones entre jurisdicciones sanitarias.",
    ),
    (
        "debilidades",
        "Sin plazos formales para actualizar el diagnóstico ni un modelo financiero prospectivo; "
        "sin evidencia de adquisiciones 2024 licitadas y en calendario; no consta que se entregaran "
        "los informes trimestrales ni los de avance físico-financiero; pocos indicadores de impacto y "
        "sin evaluaciones externas periódicas de resultados de largo plazo.",
    ),
    (
        "amenazas",
        "Dependencia de lineamientos y transferencias federales poco flexibles y de recursos "
        "federales ante un presupuesto estatal insuficiente; riesgo de cambios en los mecanismos "
        "de medición por ajustes institucionales y de sobrecarga del personal que registra la "
        "información.",
    ),
    (
        "conclusiones",
        "El diagnóstico y la planeación orientada a resultados, congruentes con el Plan de Desarrollo "
        "del Estado 2022-2027, al Programa Sectorial de Salud 2022-2027 y al MAS-Bienestar, son "
        "sólidos, pero la actualización del diagnóstico debe formalizarse. La gestión es ordenada y "
        "normada, con retos en la trazabilidad de las adquisiciones. La información se registra con "
        "método (SFU), aunque faltan evidencias de los informes trimestrales y transparencia "
        "proactiva. La MIR y el uso de INDICAS sostienen la medición de resultados.",
    ),
    (
        "recomendaciones",
        "1. Dejar por escrito quién actualiza el Diagnóstico, cada cuánto y en qué plazo.\n"
        "2. Formar y custodiar un expediente técnico-financiero con la comprobación de los recursos "
        "federales, según el Anexo «A» del Acuerdo de Coordinación.\n"
        "3. Construir y validar un modelo financiero de mediano y largo plazo con las proyecciones "
        "de población 2023-2030 y lo que costó la atención en años previos.\n"
        "4. Llevar un control documental de adquisiciones y contratación de servicios contra el "
        "Programa Anual de Adquisiciones.\n"
        "5. Respaldar con reportes y evidencias cada conciliación de la plantilla hecha con la Federación.\n"
        "6. Publicar en el portal del ISSEA un apartado del Programa IMSS-BIENESTAR con montos, "
        "proyectos, metas e indicadores en lenguaje ciudadano.",
    ),
    ("cargo_coordinador", "Director General"),
    (
        "colaboradores",
        "Marcela Gilda Díaz Fierro; Pía Orozco Montaña; Diana Celeste Rodríguez López; Yanet "
        "Mendieta Herrera; Anabell Badillo González; Héctor Orozco Sánchez; Jocelyn Eunice Mendoza "
        "Lira; Ximena Castillo Díaz y Luis Alfonso Rivera Illingworth",
    ),
    ("correo_coordinador", "salcedo.cisdomi@gmail.com"),
    ("telefono_coordinador", "555-556-42-75"),
    ("programa", "Programa IMSS-BIENESTAR"),
    ("siglas", "IMSS-BIENESTAR"),
    ("unidad_programa", "Dirección de Planeación y Desarrollo"),
    ("titular_programa", "Raúl Rafael Anaya Nuñez"),
    ("unidad_contratante", "Secretaría de Planeación, Participación y Desarrollo"),
]

DESTINO_COLUMNAS = [
    "capitulo", "concepto", "descripcion",
    "aprobado", "modificado", "devengado", "pagado", "disponible",
]
_C = "0.00"  # published zero
_Z5 = (_C, _C, _C, _C, _C)
# (capitulo, concepto, descripcion, aprobado, modificado, devengado, pagado, disponible),
# amounts as the published text, in published order (Anexo 1, Tabla 1).
DESTINO = [
    ("1000", "1100", "Remuneraciones al personal de carácter permanente",
     "$ 88,682,091.89", "$ 88,682,091.89", "$ 88,682,091.89", "$ 88,682,091.89", "0.00"),
    ("1000", "1200", "Remuneraciones al personal de carácter transitorio",
     "$ 13,844,260.31", "$ 13,844,260.31", "$ 13,844,260.31", "$ 13,844,260.31", "0.00"),
    ("1000", "1300", "Remuneraciones adicionales y especiales",
     "43,831,887.45", "43,831,887.45", "43,831,887.45", "43,831,887.45", "0.00"),
    ("1000", "1400", "Seguridad social",
     "11,463,760.24", "6,951,181.74", "133,102,471.65", "133,102,471.65", "0.00"),
    ("1000", "1500", "Otras prestaciones sociales y económicas",
     "42,760,447.13", "42,760,447.13", "42,760,447.13", "42,760,447.13", "0.00"),
    ("1000", "1600", "Previsiones", *_Z5),
    ("1000", "1700", "Pago de estímulos a servidores públicos", *_Z5),
    ("1000", "", "Subtotal capítulo 1000",
     "200,582,447.02", "200,582,447.02", "200,582,447.02", "200,582,447.02", "0.00"),
    ("2000", "2100", "Materiales de administración, emisión de documentos y artículos oficiales",
     "628,000.00", "1,994,994.06", "6,224,675.98", "6,097,331.65", "0.00"),
    ("2000", "2200", "Alimentos y utensilios", *_Z5),
    ("2000", "2300", "Materias primas y materiales de producción y comercialización", *_Z5),
    ("2000", "2400", "Materiales y artículos de construcción y de reparación", *_Z5),
    ("2000", "2500", "Productos químicos, farmacéuticos y de laboratorio",
     "138,804,078.00", "138,804,078.00", "138,804,078.00", "138,804,078.00", "0.00"),
    ("2000", "2600", "Combustibles, lubricantes y aditivos", *_Z5),
    ("2000", "2700", "Vestuario, blancos, prendas de protección y artículos deportivos",
     "3,277,537.71", "3,277,537.71", "3,277,537.71", "3,277,537.71", "0.00"),
    ("2000", "2800", "Materiales y suministros para seguridad", *_Z5),
    ("2000", "2900", "Herramientas, refacciones y accesorios menores",
     "1,123,646.68", "1,123,646.68", "1,123,646.68", "1,123,646.68", "0.00"),
    ("2000", "", "Subtotal capítulo 2000",
     "143,833,262.39", "143,833,262.39", "143,833,262.39", "143,833,262.39", "0.00"),
    # 3100 and 3200 lost their chapter cell in the published table (shifted one column left).
    ("3000", "3100", "Servicios básicos",
     "9,151,669.00", "359,130.78", "15,771,832.78", "15,771,832.78", "0.00"),
    ("3000", "3200", "Servicios de arrendamiento",
     "281,707.00", "281,707.00", "281,707.00", "281,707.00", "0.00"),
    ("3000", "3300", "Servicios profesionales, científicos, técnicos y otros servicios",
     "13,440,000", "13,440,000", "13,440,000", "13,440,000", "406,338.14"),
    ("3000", "3400", "Servicios financieros, bancarios y comerciales", *_Z5),
    ("3000", "3500", "Servicios de instalación, reparación, mantenimiento y conservación",
     "56,088,009.59", "56,088,009.59", "56,088,009.59", "56,088,009.59", "0.00"),
    ("3000", "3600", "Servicios de comunicación social y publicidad",
     "2,294,070.00", "462,333.71", "462,333.71", "462,333.71", "0.00"),
    ("3000", "3700", "Servicios de traslado y viáticos", *_Z5),
    ("3000", "3800", "Servicios oficiales", *_Z5),
    ("3000", "3900", "Otros servicios generales", *_Z5),
    ("3000", "", "Subtotal capítulo 3000",
     "81,255,455.59", "81,255,455.59", "81,255,455.59", "81,255,455.59", "0.00"),
    ("4000", "4100", "Transferencias internas y asignaciones al sector público", *_Z5),
    ("4000", "4200", "Transferencias al resto del sector público", *_Z5),
    ("4000", "4300", "Subsídios y subvenciones", *_Z5),
    ("4000", "4400", "Ayudas sociales", *_Z5),
    ("4000", "4500", "Pensiones y jubilaciones", *_Z5),
    ("4000", "4600", "Transferencias a fideicomisos, mandatos y otros análogos", *_Z5),
    ("4000", "4700", "Transferencias a la seguridad social", *_Z5),
    ("4000", "4800", "Donativos", *_Z5),
    # 4900 also lost its chapter cell in the published table.
    ("4000", "4900", "Transferencias al exterior", *_Z5),
    ("4000", "", "Subtotal capítulo 4000", *_Z5),
    ("5000", "5100", "Mobiliario y equipo de administración", *_Z5),
    ("5000", "5200", "Mobiliario y equipo educacional y recreativo", *_Z5),
    ("5000", "5300", "Instrumental médico y de laboratorio",
     "1,100,000.00", "1,100,000.00", "1,100,000.00", "1,100,000.00", "0.00"),
    # No "Subtotal capítulo 5000" in the published table.
    ("TOTAL", "", "Gran total",
     "426,771,165.00", "426,771,165.00", "426,771,165.00", "426,771,165.00", "0.00"),
]

CONCURRENCIA_COLUMNAS = [
    "orden_gobierno", "fuente", "monto", "porcentaje", "fundamento_legal", "comentarios",
]
_LEY_FED = "Ley de Coordinación Fiscal, Ley General de Salud y otras."
_LEY_EST = "Ley de Salud de Aguascalientes, Ley General de Salud y otras."
CONCURRENCIA = [
    ("Federal", "FASSA", "2,234,209,833", "50.13%", "", ""),
    ("Federal", "IMSS BIENESTAR", "407,225,481", "9.14%", "", ""),
    ("Federal", "CONVENIOS FEDERALES", "16,429,919", "0.37%", "", ""),
    ("Federal", "", "2'657,865,233", "59.66%", _LEY_FED, "Subtotal Federal (a)"),
    ("Estatal", "Aportación Estatal Líquida", "174,545,502", "3.92%", "", ""),
    ("Estatal", "Aportación Estatal", "1,482,332,476", "33.27%", "", ""),
    ("Estatal", "", "1'656,877,978", "37.18%", _LEY_EST, "Subtotal Estatal (b)"),
    ("Ingresos propios", "Ingreso Propio", "129,837,932", "2.91%", "", ""),
    # The published label of this subtotal says "Estatal (c)": kept as published.
    ("Ingresos propios", "", "129,837,932", "2.91%", _LEY_EST, "Subtotal Estatal (c)"),
    ("Otros recursos", "Fideicomiso Enf. Renales", "11,330,000", "0.25%", "", ""),
    ("Otros recursos", "", "11,330,000", "0.25%", _LEY_EST, "Subtotal Otros recursos (d)"),
    # The published label says 2020 in a 2024 table: kept as published.
    ("TOTAL", "", "4'455,911,143", "100%", "",
     "Total de ingresos 2020 de la Ejecutora (a + b+ c+ d)"),
]

INDICADORES_COLUMNAS = [
    "mir", "nivel", "indicador", "frecuencia", "unidad_medida", "sentido",
    "meta", "avance", "avance_meta_reportado",
    "meta_anterior", "avance_anterior", "avance_meta_anterior_reportado",
    "medios_verificacion", "justificacion",
]
_SIFAC = "SIFAC (Sistema de Información Financiera y Armonización Contable) del ISSEA"
# (nivel, indicador, unidad, sentido, meta, avance, avance/meta, meta_ant, avance_ant,
#  avance/meta_ant, medios, justificacion). mir = Estatal, frecuencia not published.
INDICADORES = [
    ("Fin", "Razón de Mortalidad Materna de mujeres sin seguridad social.", "Razón",
     "Descendente", "16.46", "17.20", "100%", "16.46", "17.20", "100%",
     "SIS (Sistema de Información en Salud); SINAC",
     "Cayó el número de nacimientos de madres sin seguridad social que viven en el estado y, "
     "por factores sociales, económicos y culturales, la razón superó la meta."),
    ("Propósito",
     "Porcentaje de nacidos vivos de madres sin seguridad social atendidas por personal médico",
     "Porcentaje", "Ascendente", "99.57", "99.71", "100%", "99.57", "99.71", "100%",
     "SINAC (Subsistema de Información sobre Nacimientos)",
     "Se informa que la meta no se logró porque hubo menos contratos con recurso estatal y "
     "federal y no pudo contratarse más personal médico."),
    ("Componente",
     "Médicos generales y especialistas por cada mil habitantes (población no derechohabiente)",
     "Tasa por 1,000 habitantes", "Ascendente", "1.87", "1.57", "83.95%", "1.87", "1.57",
     "83.95%", "SINERHIAS; Base de datos abiertos Recursos en Salud", ""),
    # Published with an empty level cell (merged cell): Componente.
    ("Componente",
     "Porcentaje de establecimientos de atención médica de las Instituciones Públicas del "
     "Sistema Nacional de Salud que implementa el Modelo de Gestión de Calidad en Salud MGCS y "
     "favorecen la cultura de seguridad de la atención médica.",
     "Porcentaje", "Ascendente", "100", "100", "100%", "100", "100", "100%",
     "",
     "El MGCS se implementó en el Laboratorio Estatal de Salud Pública de Aguascalientes."),
    ("Componente",
     "Porcentaje del gasto total del FASSA destinado a la Prestación de Servicios de salud a la "
     "Persona y Generación de Recursos para la salud",
     "Porcentaje", "Ascendente", "70.97", "73.14", "100%", "70.97", "73.14", "100%",
     _SIFAC,
     "El denominador toma el presupuesto total ampliado de 2024, por eso el porcentaje se "
     "aparta de la meta."),
    ("Componente",
     "Porcentaje del gasto total del FASSA destinado a la Prestación de Servicios de Salud a la "
     "Comunidad",
     "Porcentaje", "Ascendente", "24.11", "25.50", "100%", "24.11", "25.50", "100%",
     _SIFAC,
     "El denominador usa el presupuesto total ampliado de 2024 (autorizado + modificado), lo "
     "que explica la diferencia con la meta."),
    ("Componente",
     "Porcentaje de atenciones para la salud programadas con recurso asignado",
     "Porcentaje", "Ascendente", "100", "100", "100%", "100", "100", "100%",
     "SWIPSS (Sistema Web de Integración Programática Presupuestal de la Secretaría de Salud)",
     ""),
]

ASM_COLUMNAS = [
    "numero", "aspecto", "tipo", "prioridad", "area_responsable", "accion",
    "fecha_inicio", "fecha_termino", "avance", "documento_probatorio", "observaciones",
    "evaluacion_origen", "estatus_reportado",
]
ASM_CAPTURA_COLUMNAS = ASM_COLUMNAS + ["pregunta", "inciso"]

# Anexo 3: ASM of the previous evaluation listed as not attended (motive: "100% ATENDIDO").
ASM_NO_ATENDIDOS = [
    "Tener al día el Diagnóstico de Salud del Estado y aprobarlo al arrancar el ejercicio, "
    "para que sirva de base de planeación al Programa Institucional del ISSEA.",
    "Publicar los medios de verificación de los indicadores (informes, estadísticas, registros "
    "administrativos) en portales de transparencia o del ISSEA, al alcance de cualquier persona.",
    "Dar acceso abierto a los medios de verificación desde el sitio web del ISSEA, para que "
    "ciudadanos e investigadores puedan revisar y auditar los resultados del programa.",
]
# Anexo 7: (aspecto, pregunta) of the ASM derived from this evaluation.
ASM_ANEXO7 = [
    ("Dar forma oficial a la gestión del Diagnóstico Estatal de Salud (vigencia, periodicidad de "
     "actualización y responsable) para que sustente la programación y el reparto de recursos, "
     "y ligarlo a los ODS de la Agenda 2030.", "1, 2, 3"),
    ("Armar y custodiar un expediente técnico-financiero con la comprobación del gasto federal "
     "transferido, ordenado según el Anexo \"A\" del Acuerdo de Coordinación, para asegurar que "
     "solo se pague lo autorizado por las Reglas de Operación 2024.", "1, 2, 3"),
    ("Elaborar y validar una proyección financiera de mediano y largo plazo que cruce la "
     "demografía 2023-2030 con lo que costó atender en años previos, para anticipar déficits; "
     "sumar un registro y análisis de riesgos financieros.", "6"),
    ("Concentrar en un control documental la evidencia de adquisiciones y contrataciones "
     "(techos, actas, fallos, contratos, avance frente al Programa Anual de Adquisiciones) y "
     "dejar en el SRFT constancia de cada conciliación de plantilla con la Federación.", "9 y 10"),
    ("Abrir en el portal del ISSEA una sección del Programa IMSS-BIENESTAR con datos vigentes y "
     "en lenguaje ciudadano sobre montos, proyectos, metas, indicadores y normativa.", "14"),
]

FODA_COLUMNAS = [
    "apartado", "fortalezas_oportunidades", "debilidades_amenazas", "recomendaciones", "actores",
]
FODA = [
    ("I. Diseño y Planeación",
     "Diagnóstico estatal robusto (causas, efectos, brechas y regionalización) que enlaza la "
     "planeación con el presupuesto y criterios escritos de asignación; la federalización y la "
     "Agenda 2030 abren la puerta a actualizarlo cada año.",
     "No hay plazos formales de actualización del diagnóstico ni un modelo financiero "
     "prospectivo; depender de lineamientos federales y de transferencias rígidas limita la "
     "adaptación local.",
     "Institucionalizar la actualización anual del diagnóstico con proyecciones de demanda, "
     "costos y cobertura, alineada al Plan Estatal de Desarrollo y vinculada al ODS 3.",
     "ISSEA"),
    ("II. Gestión y Operación",
     "Procedimientos escritos para planear, aplicar y controlar el gasto y coordinación formal "
     "mediante el Acuerdo de Coordinación de 2024 entre ISSEA e IMSS-BIENESTAR; la federalización podría "
     "homologar procesos y asegurar insumos.",
     "No hay evidencia de que el Programa Anual de Adquisiciones 2024 se cumpliera a tiempo ni "
     "por licitación; la alta dependencia de fondos federales pone en riesgo la continuidad.",
     "Documentar la ejecución de las adquisiciones 2024 (expedientes, fallos, contratos, pagos), "
     "vigilar cada mes calendarios y gasto, y gestionar aportaciones estatales complementarias.",
     "ISSEA"),
    ("III. Generación de Información y Rendición de Cuentas",
     "Normas y sistemas, como el SFU, que integran y desagregan de forma homogénea la "
     "información financiera y programática; hay espacio para un micrositio de transparencia.",
     "No consta la entrega de los informes trimestrales ni de los de avance físico-financiero; los "
     "sistemas desactualizados y la poca digitalización amenazan la rendición de cuentas.",
     "Archivar en un solo expediente los informes trimestrales y físico-financieros con sus "
     "evidencias, y publicar un micrositio con presupuesto, cobertura, metas e indicadores.",
     "ISSEA"),
    ("IV. Orientación y Medición de Resultados",
     "MIR coherente con los objetivos sectoriales y estatales, con fuentes verificables (SIS, "
     "SINAC, DGIS) e INDICAS para la calidad; se pueden sumar indicadores ligados a los ODS y "
     "comparar jurisdicciones.",
     "Escasos indicadores de impacto social y ninguna evaluación externa sistemática de largo "
     "plazo; cambios institucionales y la carga de registro pueden cortar la medición.",
     "Añadir a la MIR indicadores de impacto y bienestar e institucionalizar evaluaciones "
     "externas periódicas del modelo MAS-Bienestar por jurisdicción, ligadas al PND 2025-2030.",
     "ISSEA"),
]


def filas_asm_captura() -> list[list[str]]:
    """Anexo 3 (previous evaluation, not attended) then Anexo 7 (this evaluation)."""
    filas = []
    for i, aspecto in enumerate(ASM_NO_ATENDIDOS, start=1):
        filas.append([
            str(i), aspecto, "", "", "ISSEA", "", "", "", "", "", "100% ATENDIDO",
            "EED IMSS-BIENESTAR 2023", "No atendido", "", "",
        ])
    for i, (aspecto, pregunta) in enumerate(ASM_ANEXO7, start=1):
        filas.append([
            str(i), aspecto, "Específico", "ALTA", "Dirección de Planeación y Desarrollo",
            "", "", "", "", "", "", "EED IMSS-BIENESTAR 2024", "", pregunta, "N/A",
        ])
    return filas


def hojas_captura() -> list[tuple[str, list[str], list[list[str]], dict[str, float]]]:
    """(sheet name, header, rows, column widths) for every sheet, in contract order."""
    indicadores = [["Estatal", n, ind, "", u, s, m, a, am, ma, aa, ama, mv, j]
                   for (n, ind, u, s, m, a, am, ma, aa, ama, mv, j) in INDICADORES]
    return [
        ("ficha", FICHA_COLUMNAS, [list(f) for f in FICHA], {"A": 24, "B": 100}),
        ("destino", DESTINO_COLUMNAS, [list(f) for f in DESTINO],
         {"A": 10, "B": 10, "C": 70, "D": 18, "E": 18, "F": 18, "G": 18, "H": 14}),
        ("concurrencia", CONCURRENCIA_COLUMNAS, [list(f) for f in CONCURRENCIA],
         {"A": 18, "B": 28, "C": 16, "D": 12, "E": 62, "F": 52}),
        ("indicadores", INDICADORES_COLUMNAS, indicadores,
         {"A": 9, "B": 12, "C": 70, "D": 11, "E": 24, "F": 13, "G": 8, "H": 8, "I": 12,
          "J": 14, "K": 15, "L": 16, "M": 50, "N": 70}),
        ("asm", ASM_CAPTURA_COLUMNAS, filas_asm_captura(),
         {"A": 8, "B": 80, "C": 12, "D": 10, "E": 36, "F": 20, "G": 12, "H": 13, "I": 8,
          "J": 20, "K": 18, "L": 26, "M": 17, "N": 10, "O": 8}),
        ("foda", FODA_COLUMNAS, [list(f) for f in FODA],
         {"A": 30, "B": 70, "C": 70, "D": 70, "E": 10}),
    ]


def construir_libro() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    negrita = Font(bold=True)
    ajuste = Alignment(wrap_text=True, vertical="top")
    for nombre, cabecera, filas, anchos in hojas_captura():
        ws = wb.create_sheet(nombre)
        ws.append(cabecera)
        for celda in ws[1]:
            celda.font = negrita
        for fila in filas:
            ws.append([v if v != "" else None for v in fila])  # empty = no value
        for fila in ws.iter_rows(min_row=2):
            for celda in fila:
                celda.number_format = "@"  # every value is published text
                celda.alignment = ajuste
        for letra, ancho in anchos.items():
            ws.column_dimensions[letra].width = ancho
        ws.freeze_panes = "A2"
    wb.properties.creator = "asm-analysis scripts/transcribir_publicado.py"
    wb.properties.lastModifiedBy = "asm-analysis"
    wb.properties.created = FECHA_FIJA
    wb.properties.modified = FECHA_FIJA
    return wb


def xlsx_determinista(wb: Workbook) -> bytes:
    """Serialise without openpyxl's save() (which stamps now()) and with fixed zip dates."""
    bruto = io.BytesIO()
    with zipfile.ZipFile(bruto, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archivo:
        ExcelWriter(wb, archivo).save()
    limpio = io.BytesIO()
    with zipfile.ZipFile(bruto) as origen, \
            zipfile.ZipFile(limpio, "w", zipfile.ZIP_DEFLATED) as destino:
        for info in origen.infolist():
            nuevo = zipfile.ZipInfo(info.filename, date_time=ZIP_FECHA)
            nuevo.compress_type = zipfile.ZIP_DEFLATED
            nuevo.external_attr = 0o600 << 16
            destino.writestr(nuevo, origen.read(info.filename))
    return limpio.getvalue()


# ---------------------------------------------------------------------------------------------
# Querétaro (SESEQ), PASM 2020 of the EED FASSA 2019, Q4 2020 progress report.
# ---------------------------------------------------------------------------------------------

CSV_COLUMNAS = ["ciclo", "cve_ent", "fondo"] + ASM_COLUMNAS

# numero -> (aspecto, tipo, ambito de gestion, [(accion, inicio, termino, avance, documento)])
# Numbers follow the general report; activities come from the per-type quarterly reports.
ASM_QRO = [
    (1, "Definir y dejar por escrito, de forma oficial, por qué no se cumplen metas de la MIR "
        "Federal y Estatal y qué acciones de mejora se tomarán.",
     "DOCUMENTO ESPECÍFICO", "PP", [
         ("Diseñar un procedimiento oficial para registrar las justificaciones de metas "
          "incumplidas y sus acciones de mejora.",
          "01-ENE-20", "15-FEB-20", "100 %", "Procedimiento-metas-justif-acciones"),
         ("Dar un taller a los responsables de indicadores sobre el seguimiento de metas, "
          "justificaciones y mejoras.",
          "16-FEB-20", "28-FEB-20", "100 %", "Memo_capacitacion Presentacion y"),
         ("Oficializar las justificaciones en el MESI y el SRFT y revisar cada dos meses el "
          "avance de las acciones.",
          "01-FEB-20", "15-ENE-21", "100 %", "Formato-justif-incump-acciones"),
     ]),
    (2, "Aplicar bien el mecanismo de seguimiento y monitoreo de los indicadores de resultados "
        "de ambas MIR (Federal y Estatal).",
     "DOCUMENTO INSTITUCIONAL", "SER", [
         ("Revisar con las direcciones de SESEQ el Manual PPyM de Planeación y Finanzas y "
          "resumirlo en un documento ejecutivo.",
          "01-FEB-20", "28-FEB-20", "100 %", "Resumen Ejecutivo PPyM"),
         ("Enviar el resumen del Manual PPyM a los responsables de indicadores junto con el "
          "calendario de entrega de avances.",
          "16-MAR-20", "31-MAR-20", "100 %", "Memo difusión PPyM y Calendario"),
         ("Integrar cada trimestre en el MESI el avance de los indicadores conforme al PPyM.",
          "13-ABR-20", "15-ENE-21", "100 %", "Oficio notificación avances"),
     ]),
    (3, "Documentar, conforme a la normatividad, cómo se programan las metas de los "
        "indicadores de ambas MIR (Federal y Estatal).",
     "DOCUMENTO INSTITUCIONAL", "PP", [
         ("Oficializar el procedimiento para fijar cobertura, metas y avance de los "
          "indicadores de la MIR.",
          "01-ENE-20", "28-FEB-20", "100 %", "Procedimiento-cobertura-meta-avance"),
         ("Fijar junto con cada responsable las metas a programar de los indicadores.",
          "24-FEB-20", "28-FEB-20", "100 %", "Formato-programacion-metas"),
         ("Elaborar el Programa Operativo Anual y capturar las metas en el SRFT y el MESI.",
          "01-FEB-20", "30-MAY-20", "100 %", "Programa-Operativo-Anual"),
     ]),
    (4, "Capturar y mantener al día en el SER la fecha en que concluye cada actividad de los "
        "ASM que dejó la evaluación 2018 del FASSA.",
     "DOCUMENTO INTERINSTITUCIONAL E INTERGUBERNAMENTAL", "SER", [
         ("Avisar a la UER de la recomendación y pedir su ayuda, pues el SER no tiene campo "
          "para la fecha de conclusión.",
          "04-FEB-20", "15-FEB-20", "100 %", "Oficio UER notificación"),
         ("Pedir a la Dirección de Tecnologías de Información del Gobierno del Estado "
          "asesoría sobre el SER.",
          "30-MAR-20", "15-ABR-20", "100 %", "Oficio capacitacion SER"),
         ("Registrar a tiempo en el SER las acciones de los ASM.",
          "01-ABR-20", "16-ENE-21", "100 %", "Reporte Trimestral ASM"),
     ]),
    (5, "Revisar y ajustar los indicadores de la MIR Estatal para que cubran las cuatro "
        "dimensiones del CONAC: eficacia, eficiencia, economía y calidad.",
     "DOCUMENTO INTERINSTITUCIONAL E INTERGUBERNAMENTAL", "SER", [
         ("Analizar las dimensiones de medición de la MIR Estatal 2019 y generar la Póliza de "
          "Modificación.",
          "05-SEP-19", "15-SEP-19", "100 %", "Póliza Modificación MIR 2020"),
         ("Proponer los cambios a la MIR Estatal 2020 con la póliza que pidió la UER.",
          "16-SEP-19", "20-SEP-19", "100 %", "Propuesta MIR Estatal 2020 correo y calendario"),
         ("Comprobar en el MESI que la MIR Estatal ya refleja los cambios.",
          "01-ENE-20", "15-ABR-20", "100 %", "Reporte trimestral MESI"),
     ]),
]


def filas_queretaro() -> list[list[str]]:
    filas = []
    for numero, aspecto, tipo, ambito, acciones in ASM_QRO:
        for accion, inicio, termino, avance, documento in acciones:
            filas.append([
                "2019", "22", "FASSA", str(numero), aspecto, tipo, "", "SESEQ", accion,
                inicio, termino, avance, documento, f"Ámbito de gestión: {ambito}",
                "EED FASSA 2019", "",
            ])
    return filas


# ---------------------------------------------------------------------------------------------
# IMSS-BIENESTAR (S-038): institutional ASM by evaluation period, September 2022 cut.
# ---------------------------------------------------------------------------------------------

_CAIS = "Coordinación de Atención Integral a la Salud"
_CFI = "Coordinación de Finanzas e Infraestructura"
_CPEPB = "Coordinación de Planeación Estratégica, Evaluación y Padrón de Beneficiarios"
_CACPC = "Coordinación de Acciones Comunitarias y Participación Ciudadana para la Salud"

# periodo -> [(aspecto, accion, areas, fecha_termino, avance, documento, observaciones)]
ASM_IMSSB = [
    ("2021-2022", [
        ("Homologar el plan de trabajo de la CFI (Coordinación de Finanzas e Infraestructura) "
         "para que todas sus acciones queden planeadas.",
         "Elaborar el programa de trabajo de la CFI.",
         [_CFI], "30/09/2022", "98", "",
         "El programa de trabajo está hecho; falta su autorización para difundirlo."),
        ("Usar medios digitales, con enfoque preventivo, para hacer llegar a la población "
         "objetivo información de salud a distancia y de forma continua.",
         "Crear una comunidad privada en Facebook para el personal de acción comunitaria y un "
         "repositorio de materiales de promoción de la salud.",
         ["Coordinación de Acción Comunitaria"], "29/12/2023", "100",
         "Capturas del grupo, publicaciones destacadas y relación de materiales del repositorio",
         "Se abrieron dos comunidades virtuales (BIIB y BEIB), un repositorio en intranet y "
         "grupos de WhatsApp; Facebook se descartó por seguridad de la información."),
        ("Revisar metas y fórmulas de los indicadores de la MIR para decidir si se ajustan, "
         "eliminan o agregan.",
         "Hacer los ajustes que procedan según los recursos técnicos, humanos y financieros.",
         [_CAIS, "Coordinación de Acción Comunitaria", _CFI,
          "Coordinación de Planeación, Evaluación y Sistemas de Información"],
         "30/09/2022", "100", "Fichas técnicas de los indicadores",
         "Tras la ECR 2020-2021 se ajustaron dos fichas, se quitaron dos indicadores de "
         "voluntarios de la MIR 2023 y el de parteras pasó a medir control prenatal temprano."),
    ]),
    ("2020-2021", [
        ("Reforzar la supervisión y la asesoría al personal operativo en las entidades donde "
         "opera el programa.",
         "Rediseñar cédulas de supervisión, afinar normas de fondos fijos y traspaso de costos "
         "y vigilar inventarios, inmuebles, equipos, subrogados y vehículos.",
         [_CFI, _CACPC, _CPEPB], "31/12/2021", "100",
         "Cédulas de supervisión, normativa, informes y oficios internos",
         "Se actualizaron cédulas por proceso y normas, y se simplificó el seguimiento de "
         "inmuebles y equipos."),
        ("Agregar al censo de mujeres en edad fértil su riesgo reproductivo y el método "
         "anticonceptivo que usan.",
         "Actualizar el censo en consulta y en visitas a domicilio.",
         [_CAIS, _CPEPB], "30/06/2022", "100", "Censo de mujeres en edad fértil (ejemplos)",
         "227 censos generados o actualizados en unidades de primer y segundo nivel de cinco "
         "OOAD."),
    ]),
    ("2019-2020", [
        ("Seguir certificando los Hospitales Rurales del programa ante el Consejo de "
         "Salubridad General (CSG).",
         "Mantener vigente la certificación de los hospitales rurales.",
         [_CAIS], "31/12/2024", "33", "",
         "La certificación de 2022 se hará en el último cuatrimestre; el avance no cambia."),
        ("Capacitar mejor al personal médico en atención materna y perinatal.",
         "Reforzar esa capacitación en el primer y segundo nivel de atención.",
         [_CAIS], "31/12/2024", "45", "",
         "Avance modesto: se capacita sobre todo a becarios y personal nuevo, con prioridad "
         "a los estados que transfirieron sus servicios al IMSS-BIENESTAR."),
    ]),
    ("2018-2019", [
        ("Poner al día el diagnóstico del programa en un documento que junte la evidencia "
         "producida al operarlo.",
         "Actualizar el diagnóstico.",
         [_CAIS, _CPEPB, _CACPC, _CFI], "31/12/2020", "36", "",
         "El avance no ha cambiado."),
    ]),
]


def filas_imss_bienestar() -> list[list[str]]:
    filas = []
    for periodo, asms in ASM_IMSSB:
        ciclo = periodo.split("-")[1]
        for numero, (aspecto, accion, areas, termino, avance, doc, obs) in enumerate(asms, 1):
            filas.append([
                ciclo, "00", "IMSS-BIENESTAR", str(numero), aspecto, "Institucional", "",
                "; ".join(areas), accion, "", termino, avance, doc, obs,
                f"Periodo {periodo}", "",
            ])
    return filas


# ---------------------------------------------------------------------------------------------


def escribir_atomico(ruta: Path, datos: bytes) -> None:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=ruta.parent, prefix=".tmp-", suffix=ruta.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(datos)
        os.chmod(tmp, 0o644)
        os.replace(tmp, ruta)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_bytes(columnas: list[str], filas: list[list[str]]) -> bytes:
    salida = io.StringIO()
    escritor = csv.writer(salida, lineterminator="\n")
    escritor.writerow(columnas)
    escritor.writerows(filas)
    return salida.getvalue().encode("utf-8")


def main() -> None:
    escribir_atomico(XLSX, xlsx_determinista(construir_libro()))
    escribir_atomico(CSV_QRO, csv_bytes(CSV_COLUMNAS, filas_queretaro()))
    escribir_atomico(CSV_IMSSB, csv_bytes(CSV_COLUMNAS, filas_imss_bienestar()))
    for ruta in (XLSX, CSV_QRO, CSV_IMSSB):
        print(ruta.relative_to(RAIZ))


if __name__ == "__main__":
    main()
