"""Evidence file kinds: the extension must be accepted and the first bytes must match it."""

import pytest

from jiandu.lib.filetypes import evidence_problem


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("收据.pdf", b"%PDF-1.7\n"),
        ("照片.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("截图.png", b"\x89PNG\r\n\x1a\n\x00"),
        ("台账.xlsx", b"PK\x03\x04\x14\x00"),
        ("记录.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"),
        ("暗访.mp4", b"\x00\x00\x00\x18ftypmp42"),
        ("谈话.amr", b"#!AMR\n"),
        ("说明.txt", "走访记录：某村".encode("gb18030")),
        ("名单.csv", "姓名,金额\n张三,100".encode()),
    ],
)
def test_accepted_kinds_with_their_signatures(name: str, head: bytes) -> None:
    assert evidence_problem(name, head) is None


@pytest.mark.parametrize(
    ("name", "head", "problem"),
    [
        ("收据.pdf", b"MZ\x90\x00\x03", "executable"),  # a Windows program renamed .pdf
        ("照片.jpg", b"\x7fELF\x02\x01", "executable"),
        ("收据.pdf", b"\xff\xd8\xff\xe0", "content"),  # a JPEG named .pdf
        ("台账.xlsx", b"%PDF-1.4", "content"),
        ("说明.txt", b"\x00\x01\x02binary", "content"),
        ("工具.exe", b"MZ", "extension"),
        ("脚本.bat", b"@echo off", "extension"),
        ("无扩展名", b"%PDF-", "extension"),
    ],
)
def test_refused_files_say_why(name: str, head: bytes, problem: str) -> None:
    assert evidence_problem(name, head) == problem
