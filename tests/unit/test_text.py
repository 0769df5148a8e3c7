import codecs

from anchornet.ingest.text import decode, detect_encoding, line_ending


def test_encodings():
    text = "Supplier,Amount\nCAFÉ ROUGE,£12.50\n"
    assert detect_encoding(text.encode("utf-8")) == ("utf-8", 0)
    assert detect_encoding(codecs.BOM_UTF8 + text.encode("utf-8")) == ("utf-8", 3)
    assert detect_encoding(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))[0] == "utf-16-le"
    assert detect_encoding(text.encode("utf-16-le"))[0] == "utf-16-le"
    assert detect_encoding(text.encode("cp1252"))[0] == "cp1252"


def test_cp1252_keeps_pound_and_accent():
    decoded = decode("Supplier,Amount\r\nCAFÉ ROUGE,£12.50\r\n".encode("cp1252"), "x.csv")
    assert "CAFÉ ROUGE,£12.50" in decoded.text
    assert decoded.encoding == "cp1252" and decoded.rewrite


def test_line_endings():
    assert line_ending(b"a\nb\n") == "LF"
    assert line_ending(b"a\r\nb\r\n") == "CRLF"
    assert line_ending(b"a\rb\r") == "CR"
    assert line_ending(b"a\rb\n") == "mixed"
    decoded = decode(b"a,b\rc,d\r", "x.csv")
    assert decoded.text == "a,b\nc,d\n" and decoded.rewrite
