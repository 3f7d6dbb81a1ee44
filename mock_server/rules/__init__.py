"""Input rules of Mon Compte, as pure functions returning error codes (keys of mock_server.texts)."""
