"""The contracts people and programs rely on: profiles, results, the fields rules read."""
