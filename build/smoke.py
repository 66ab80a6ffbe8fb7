"""Smoke test of a frozen build: run the real binary headless through every kind of work it does.

    python build/smoke.py build/dist/neglect-tool/neglect-tool

Fails (non-zero) on any missing module or data file: each step must exit 0 and produce what it should.
All data is the synthetic demo, in a temporary folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEMO_PASSPHRASE = "demo-only-synthetic-data"


def run(binary: Path, *args: str, env: dict[str, str], timeout: int = 180) -> str:
    started = time.perf_counter()
    proc = subprocess.run([str(binary), *args], env=env, text=True, capture_output=True, timeout=timeout)
    took = time.perf_counter() - started
    print(f"  {' '.join(args)[:70]:72} exit {proc.returncode}  {took:5.2f} s")
    if proc.returncode != 0 or "ModuleNotFoundError" in proc.stderr or "DataFileMissing" in proc.stderr:
        print(proc.stdout[-2000:], proc.stderr[-4000:], sep="\n", file=sys.stderr)
        raise SystemExit(f"smoke test failed at: {' '.join(args)}")
    return proc.stdout


def main(binary: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        store = home / "demo.ntdb"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(home / "data"),
               "XDG_CONFIG_HOME": str(home / "config"), "NEGLECT_TOOL_PASSPHRASE": DEMO_PASSPHRASE,
               "NEGLECT_TOOL_EXPORT_PASSPHRASE": "smoke test export phrase seven words long",
               "NEGLECT_TOOL_PDF_PASSWORD": "smoke-pdf-password"}
        print(f"smoke-testing {binary}")
        version = run(binary, "--version", env=env)
        assert version.startswith("neglect-tool "), version
        forms = run(binary, "forms", "list", env=env)
        assert "childcare-development-checklist" in forms, forms
        run(binary, "--store", str(store), "demo", env=env)
        cases = json.loads(run(binary, "--store", str(store), "cases", "list", "--json", env=env))
        assert len(cases) >= 3, cases
        ref = cases[0]["case_ref"]
        run(binary, "--store", str(store), "store", "check", env=env)
        run(binary, "--store", str(store), "audit", "verify", env=env)
        pdf = home / "summary.pdf"
        run(binary, "--store", str(store), "export", "summary", "--case", ref, "--out", str(pdf), "--no-protect",
            env=env)
        assert pdf.read_bytes().startswith(b"%PDF"), "the summary is not a PDF"
        protected = home / "protected.pdf"
        run(binary, "--store", str(store), "export", "summary", "--case", ref, "--out", str(protected),
            "--protect", env=env)
        assert b"/Encrypt" in protected.read_bytes(), "the protected summary is not encrypted"
        record = home / "record.ntrec"
        run(binary, "--store", str(store), "export", "record", "--case", ref, "--out", str(record), env=env)
        assert record.stat().st_size > 0
        other = home / "other.ntdb"
        env_other = {**env, "NEGLECT_TOOL_PASSPHRASE": "another practitioner's passphrase",
                     "NEGLECT_TOOL_IMPORT_PASSPHRASE": env["NEGLECT_TOOL_EXPORT_PASSPHRASE"]}
        run(binary, "--store", str(other), "store", "init", "--name", "Sam Receiver", "--role", "Health visitor",
            "--agency", "health", env=env_other)
        run(binary, "--store", str(other), "import", str(record), env=env_other)
        imported = json.loads(run(binary, "--store", str(other), "cases", "list", "--json", env=env_other))
        assert [c["case_ref"] for c in imported] == [ref], imported
        run(binary, "--store", str(store), "--quit-after", "1500", env=env)
        out = run(binary, "--store", str(store), "--self-test", env=env)
        assert "self-test passed" in out, out
    print("frozen build: every step passed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
