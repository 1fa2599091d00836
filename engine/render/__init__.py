"""Rendering results for people: terminal tables and text, and the HTML report."""
