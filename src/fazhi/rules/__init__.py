def run_rules(doc, config=None):
    return []
