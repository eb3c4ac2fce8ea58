"""Read what an AppTest download button would hand the browser.

AppTest keeps media in a throw-away in-memory store per run; this records every file put
there so a test can open a download button's bytes by its URL.
"""

from __future__ import annotations

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


class RecordingStorage(MemoryMediaFileStorage):
    files: dict[str, bytes] = {}

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
        RecordingStorage.files[file_id] = self._files_by_id[file_id].content
        return file_id


@pytest.fixture
def downloads(monkeypatch):
    """`downloads(button)` -> the bytes behind an AppTest download button."""
    import streamlit.testing.v1.app_test as app_test

    RecordingStorage.files = {}
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", RecordingStorage)

    def read(button) -> bytes:
        file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
        return RecordingStorage.files[file_id]

    return read
