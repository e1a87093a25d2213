"""schemac/core"""
