"""Spreadsheet exports of readers' data that a spreadsheet cannot run.

Readers write names and messages; a cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return, which some programs skip before reading one of those) is read as a formula
by Excel, LibreOffice and Google Sheets when the CSV is opened: ``=HYPERLINK(...)`` from a public
form would become a live link in staff's spreadsheet. Such text cells get a leading apostrophe,
which spreadsheets show as text (OWASP's advice). Wagtail already stores formula-looking text
as text in XLSX; the apostrophe is added there too, so a sheet re-saved as CSV stays safe.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """``value`` with a leading apostrophe when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class SafeSpreadsheetMixin:
    """For an index view with ``list_export`` (Wagtail's ``SpreadsheetExportMixin``): every
    exported text cell goes through ``neutralise_cell``, in CSV and XLSX alike."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_cell(super().preprocess_field_value(field, value, export_format))
