"""`make load`: protocol-level Locust users against the mock, on loopback (see __main__.py)."""
