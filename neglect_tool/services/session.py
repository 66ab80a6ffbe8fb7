"""An unlocked store and the use cases the app and the CLI share.

The UI talks to a Session, never to the storage package: it does not know about SQL, keys or files.
Unlocking is slow on purpose (Argon2id, ~0.45 s), so the UI runs `unlock`/`create` off the UI thread.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..domain import Agency, Professional
from ..forms.loader import get_form
from ..storage.keys import STORE_KDF, KdfParams
from ..storage.store import CaseSummary, Store
from .casework import Casework
from .demo_data import DEMO_PASSPHRASE, build_demo
from .demo_store import write_demo

__all__ = ["CaseSummary", "Session", "StoreLocation"]

CHECKLIST_FORM_ID = "childcare-development-checklist"


@dataclass(frozen=True, slots=True)
class StoreLocation:
    path: Path

    @property
    def exists(self) -> bool:
        return self.path.exists()


class Session:
    """What an unlocked practitioner works with. Closing it locks the store and forgets the key."""

    def __init__(self, store: Store) -> None:
        self._store: Store | None = store

    # --- opening -----------------------------------------------------------------------------------

    @classmethod
    def unlock(cls, path: Path, passphrase: str, *, kdf: KdfParams = STORE_KDF) -> Session:
        return cls(Store.open(path, passphrase, kdf=kdf))

    @classmethod
    def create(
        cls,
        path: Path,
        passphrase: str,
        *,
        owner_name: str,
        owner_role: str,
        owner_agency: Agency,
        kdf: KdfParams = STORE_KDF,
    ) -> Session:
        owner = Professional(name=owner_name, role=owner_role, agency=owner_agency)
        return cls(Store.create(path, passphrase, owner=owner, kdf=kdf))

    @classmethod
    def create_demo(
        cls,
        path: Path,
        passphrase: str = DEMO_PASSPHRASE,
        *,
        kdf: KdfParams = STORE_KDF,
        today: dt.date | None = None,
    ) -> Session:
        """A new store filled with the synthetic demo cases."""
        data = build_demo(get_form(CHECKLIST_FORM_ID), today=today)
        store = Store.create(path, passphrase, owner=data.owner, kdf=kdf)
        try:
            write_demo(store, data)
        except BaseException:
            store.close()
            raise
        return cls(store)

    # --- state -------------------------------------------------------------------------------------

    @property
    def store(self) -> Store:
        if self._store is None or not self._store.is_open:
            from ..storage.errors import StoreError

            raise StoreError("The store is locked.")
        return self._store

    @property
    def is_open(self) -> bool:
        return self._store is not None and self._store.is_open

    @property
    def owner(self) -> Professional:
        return self.store.owner

    @property
    def casework(self) -> Casework:
        return Casework(self.store)

    def lock(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            store.close()

    # --- cases -------------------------------------------------------------------------------------

    def cases(self, search: str = "") -> list[CaseSummary]:
        text = search.strip()
        return self.store.families.search(text) if text else self.store.families.list_summaries()
