"""Many handouts in one run (``tdx extract`` over files and folders, on one machine or a cluster).

    inputs.py   which files a run reads, and the output name of each
    runner.py   up-to-date files skipped, the rest extracted, the run report and JSON Lines
    workers.py  the worker processes: time limits, a worker that dies replaced
"""
