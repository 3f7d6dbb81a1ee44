# A package only so that its tests (tests/, with their own conftest.py) are imported as
# relying_party.tests.*, apart from this project's own tests and conftest.py.
