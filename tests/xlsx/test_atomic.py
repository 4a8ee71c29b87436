"""Outputs are written atomically and get ordinary permissions."""


def test_outputs_get_ordinary_permissions(tmp_path):
    import os

    from addin.atomic import atomic_write

    umask = os.umask(0o022)
    try:
        path = atomic_write(tmp_path / "out.txt", lambda p: p.write_text("x"))
    finally:
        os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    import pytest

    from addin.atomic import atomic_write

    target = tmp_path / "report.xlsx"
    target.write_text("old")

    def crash(path):
        path.write_text("half")
        raise RuntimeError("disk pulled out")

    with pytest.raises(RuntimeError):
        atomic_write(target, crash)
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
