#!/usr/bin/env python3
"""Check a .vcf file with Python's vobject (an independent vCard reader).

Usage: vcf_check.py FILE.vcf [--expect N]

Exits non-zero when vobject cannot read a card, when the number of cards vobject reads differs
from the number of BEGIN:VCARD lines (or from --expect N), or when a card lacks FN or N, or
has a line longer than 75 octets or a line end other than CRLF. Prints
"vcf: N cards parsed by vobject" on success.
"""
import sys

try:
    import vobject
except ImportError:  # pragma: no cover
    print("vcf: the python package 'vobject' is not installed (pip install vobject)", file=sys.stderr)
    sys.exit(2)


def main(argv):
    args = argv[1:]
    expect = None
    if "--expect" in args:
        i = args.index("--expect")
        try:
            expect = int(args[i + 1])
        except (IndexError, ValueError):
            print("vcf: --expect needs a number", file=sys.stderr)
            return 2
        del args[i : i + 2]
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = args[0]
    try:
        raw = open(path, "rb").read()
    except OSError as e:
        print(f"vcf: cannot read {path}: {e}", file=sys.stderr)
        return 2

    problems = []
    # the file's shape: CRLF line ends and folding at 75 octets
    body = raw[:-2] if raw.endswith(b"\r\n") else raw
    if raw and not raw.endswith(b"\r\n"):
        problems.append("the file does not end with CRLF")
    for n, line in enumerate(body.split(b"\r\n"), 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {n}: a bare LF or CR")
        if len(line) > 75:
            problems.append(f"line {n}: {len(line)} octets (more than 75)")

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"vcf: {path} is not UTF-8: {e}", file=sys.stderr)
        return 1
    begins = sum(1 for l in text.splitlines() if l.strip().upper() == "BEGIN:VCARD")

    cards = []
    try:
        for card in vobject.readComponents(text, validate=True):
            cards.append(card)
    except Exception as e:  # vobject raises many kinds
        problems.append(f"vobject failed after {len(cards)} cards: {type(e).__name__}: {e}")

    for i, card in enumerate(cards, 1):
        if card.name.upper() != "VCARD":
            problems.append(f"component {i} is {card.name}, not VCARD")
            continue
        contents = card.contents
        label = contents["fn"][0].value if "fn" in contents else f"card {i}"
        if "fn" not in contents:
            problems.append(f"card {i}: no FN")
        if "n" not in contents:
            problems.append(f"{label}: no N")
        try:
            card.serialize()
        except Exception as e:
            problems.append(f"{label}: vobject cannot write it back: {e}")

    if len(cards) != begins:
        problems.append(f"{begins} BEGIN:VCARD lines but vobject read {len(cards)} cards")
    if expect is not None and len(cards) != expect:
        problems.append(f"expected {expect} cards, vobject read {len(cards)}")

    if problems:
        for p in problems[:50]:
            print(f"vcf: {path}: {p}", file=sys.stderr)
        if len(problems) > 50:
            print(f"vcf: ... and {len(problems) - 50} more", file=sys.stderr)
        return 1
    print(f"vcf: {len(cards)} cards parsed by vobject")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
