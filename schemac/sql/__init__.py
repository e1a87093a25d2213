"""schemac/sql"""
