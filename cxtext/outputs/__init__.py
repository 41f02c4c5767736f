"""Everything a run writes, above the stages: the output folder (`write`), the report
(`report/`), the journey-tool exports, the XLSX workbook and the DuckDB store, and the
re-export of a finished run (`exports`). `cxtext.io` below keeps input reading, the output
contract and file primitives."""
