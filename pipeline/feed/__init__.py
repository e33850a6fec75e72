"""What tdx gives other programs, from the JSON that ``tdx extract`` wrote.

    export.py   SQLite database and CSV files (``tdx export``)
    corpus.py   the concept index of a corpus (``tdx concepts``)
    show.py     the terminal summary of one handout (``tdx show``)
    schema.py   the JSON Schemas of the contract (``tdx schema``, ``schemas/``)
"""
