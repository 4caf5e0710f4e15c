import json

import numpy as np
import pytest

from corral.labels.journal import Journal, JournalError, read_journal


def make(path, ops=3):
    j = Journal.create(path, {"n": 5})
    for i in range(ops):
        j.append({"op": "assign", "label": f"l{i}", "indices": np.array([i])})
    j.close()


def test_roundtrip(tmp_path):
    path = tmp_path / "j.journal"
    make(path)
    c = read_journal(path)
    assert c.header["format"] == "corral-journal" and c.header["n"] == 5
    assert [r["label"] for r in c.records] == ["l0", "l1", "l2"]
    assert c.records[1]["indices"] == [1]
    assert c.skipped == []


def test_torn_last_line_is_skipped_and_cut_on_resume(tmp_path):
    path = tmp_path / "j.journal"
    make(path)
    with open(path, "ab") as f:
        f.write(b'{"op":"assign","label":"half')  # a write cut off by a crash
    c = read_journal(path)
    assert len(c.records) == 3
    assert len(c.skipped) == 1 and "cut off mid-write" in c.skipped[0]
    j = Journal.resume(path, c)
    j.append({"op": "clear", "indices": [0]})
    j.close()
    again = read_journal(path)
    assert [r["op"] for r in again.records] == ["assign"] * 3 + ["clear"]
    assert again.skipped == []


def test_damaged_middle_line_is_reported(tmp_path):
    path = tmp_path / "j.journal"
    make(path)
    lines = path.read_bytes().split(b"\n")
    lines[2] = b"\x00\x00garbage"
    path.write_bytes(b"\n".join(lines))
    c = read_journal(path)
    assert [r["label"] for r in c.records] == ["l0", "l2"]
    assert c.skipped == ["line 3: not a whole record (9 bytes)"]


@pytest.mark.parametrize("content, words", [
    (b"", "empty"),
    (b"hello\n", "not a corral journal"),
    (json.dumps({"format": "corral-journal", "version": 99}).encode() + b"\n", "version 99"),
])
def test_not_a_journal(tmp_path, content, words):
    path = tmp_path / "x"
    path.write_bytes(content)
    with pytest.raises(JournalError, match=words):
        read_journal(path)


def test_append_after_close_says_why(tmp_path):
    j = Journal.create(tmp_path / "j", {"n": 1})
    j.close()
    with pytest.raises(JournalError, match="taken over"):
        j.append({"op": "undo"})


def test_each_append_is_on_disk_before_returning(tmp_path):
    path = tmp_path / "j"
    j = Journal.create(path, {"n": 1})
    j.append({"op": "assign", "label": "a", "indices": [0]})
    # read through a separate file handle while the journal is still open
    assert read_journal(path).records[0]["label"] == "a"
    j.close()
