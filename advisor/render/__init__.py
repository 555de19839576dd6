"""Renderers: the same result contract shown as text, JSON, and more."""
