"""`neglect-tool demo`: build the demo store (synthetic families only) at --store."""

from __future__ import annotations

import argparse
import os

from ..paths import default_store_path
from ..services.demo_data import DEMO_PASSPHRASE
from ..services.session import Session
from ..storage.errors import StoreError
from .errors import CliError
from .passphrase import STORE_PASSPHRASE_ENV, read_secret_file


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    demo = subparsers.add_parser("demo", help="build a store of synthetic demo cases at --store")
    demo.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    path = default_store_path(args.store)
    if path.exists():
        raise CliError(f"{path} already exists; choose another --store path")
    if os.environ.get(STORE_PASSPHRASE_ENV):
        passphrase = os.environ[STORE_PASSPHRASE_ENV]
    elif args.passphrase_file:
        passphrase = read_secret_file(args.passphrase_file)
    else:
        passphrase = DEMO_PASSPHRASE
    try:
        session = Session.create_demo(path, passphrase)
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    n = len(session.cases())
    session.lock()
    print(f"Demo store with {n} synthetic cases written to {path}")
    if passphrase == DEMO_PASSPHRASE:
        print(f"Its passphrase is: {DEMO_PASSPHRASE}")
    return 0
