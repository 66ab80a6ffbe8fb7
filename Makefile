.PHONY: run test bench build
run:   ## install everything and start the app (the demo case is offered on first run)
	scripts/run-app.sh
test:  ## install everything and run lint, types, import contracts and every test
	scripts/run-tests.sh
bench: ## run the benchmark scripts and print their figures
	.venv/bin/python -m benchmarks.run_all
build: ## the frozen one-folder app (PyInstaller) and its smoke test
	bash build/build.sh
