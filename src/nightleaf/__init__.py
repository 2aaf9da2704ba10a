"""nightleaf: a private journal and harm-reduction companion for evening kratom use.

It never recommends a dose. It keeps the person's data on their machine.
"""

__version__ = "0.1.0"
