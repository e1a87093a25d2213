"""schemac/render"""
