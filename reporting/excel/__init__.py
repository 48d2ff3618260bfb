"""The Excel round-trip for offices with poor connectivity.

Download a workbook pre-filled for one office and period (`template`), fill it offline, upload
it. Every row is checked with the rules the web form uses (`upload`: values, submission rules,
the workflow's period, status and version rules) and shown as a preview; it is saved only when
confirmed, in one transaction through the workflow services (`apply`). One bad row means nothing
is saved. `columns` is the layout both sides share, `reading` how an upload's cells are read.
"""
