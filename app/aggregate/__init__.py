"""The district office's desk: many units' reports read, checked, summed and compared.

- ``summing``: read every file (``Entry``), validate it, add the readable ones cell by cell
  (``Aggregate``); ``save``: write the sum as JSON, spreadsheet (``xlsx``) or PDF.
- ``district``: the desk around the sum: the roster (``roster``), last year's reports
  (``year_over_year``), the ratios (``ratios``), the district's own report; its settings
  in ``config`` (``resources/district.toml``).
- ``district_xlsx``: the desk's sheets in the spreadsheet; ``feedback``: each unit's 问题清单;
  ``record``: the saved state of a summary, to go on with it later.
"""
