"""Importing a published misconception taxonomy into the catalogue, all or nothing.

A reader (mae for the MaE dataset, csv_file for the documented CSV format,
docs/catalogue-import.md) checks the *whole* file first (with the shared checks) and
turns it into entries; any problem rejects the file with the line or record and the
field, before anything is written. Only then is each entry imported through the
service, whose deterministic ids make a second import add nothing.
"""

from lessonstudy.imports.checks import ImportEntry, ImportFileError
from lessonstudy.imports.csv_file import read_csv
from lessonstudy.imports.mae import read_mae
from lessonstudy.imports.write import ImportReport, import_entries

__all__ = [
    "ImportEntry",
    "ImportFileError",
    "ImportReport",
    "import_entries",
    "read_csv",
    "read_mae",
]
