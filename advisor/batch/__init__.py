"""`advisor batch`: evaluate folders of profiles in parallel, stream the results, report every bad file.

sources (what to read) -> reading (parse and validate, in the workers) -> worker (advice, formatted
output) -> running (worker processes, in order, bounded) -> writers and summary (in the main process).
"""
