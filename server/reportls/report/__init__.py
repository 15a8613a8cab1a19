"""Reading the report: the structural model (model), the markdown reading (parse) and report.py's own reading of the text (reportpy). Pure."""
