"""The scale benchmark (`make bench`): fill a separate PostgreSQL database, measure, report.

`bench/run.py` is the command line; `context` holds the run's state and statistics, `prepare`
the database, users and pages, `processes` gunicorn and the Celery workers, one `measure_*`
module per group of measurements, `report` the table, `fill` the data.
"""
