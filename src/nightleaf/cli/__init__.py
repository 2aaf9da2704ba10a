"""The command line: Typer + Rich. Thin: parse input, call a service, render the result."""
