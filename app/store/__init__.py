"""Drafts that are never lost: a crash-safe TinyDB store (see ``drafts`` for the layout and
its parts: ``index`` the list's cache, ``draft_files`` each draft's file, ``draft_recovery``
and ``recovery`` the copies a damaged file comes back from, ``history`` the revisions)."""
from app.store.documents import DraftInfo
from app.store.drafts import DraftStore
from app.store.errors import ReadOnlyStoreError, StoreError, StoreWriteError
from app.store.history import HISTORY_LIMIT, RevisionInfo
from app.store.paths import ENV_VAR, default_data_dir

__all__ = ["DraftInfo", "DraftStore", "ENV_VAR", "HISTORY_LIMIT", "ReadOnlyStoreError",
           "RevisionInfo", "StoreError", "StoreWriteError", "default_data_dir"]
