"""schemac/checks"""
