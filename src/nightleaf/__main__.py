from nightleaf.cli import run

run()
