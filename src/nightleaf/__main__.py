from nightleaf.cli.main import run

run()
