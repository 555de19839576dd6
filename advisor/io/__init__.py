"""Reading and writing files safely: YAML and JSON documents with their lines, profiles, private files."""
