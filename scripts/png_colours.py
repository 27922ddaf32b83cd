#!/usr/bin/env python3
"""Counts pixels of given colours in a PNG (standard library only).

Usage: png_colours.py FILE.png '#0072B2' '#E69F00' ...
Prints JSON: {"width": W, "height": H, "distinct": N, "counts": {"#0072B2": n, ...}}.
Used by the HTML report's render test (Tests/BerthCLITests/ReportRenderTests.swift)
to check that a headless-Chromium screenshot of a report shows the charts'
colours, i.e. that the inline SVG rendered. Supports 8-bit, non-interlaced
RGB and RGBA PNGs (what Chromium writes).
"""
import json
import struct
import sys
import zlib


def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise SystemExit(f"{path}: unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    path, colours = sys.argv[1], sys.argv[2:]
    width, height, bpp, rows = decode(path)
    wanted = {bytes.fromhex(c.lstrip("#")): c for c in colours}
    counts = {c: 0 for c in colours}
    distinct = set()
    for row in rows:
        for x in range(0, len(row), bpp):
            rgb = row[x:x + 3]
            distinct.add(rgb)
            if rgb in wanted:
                counts[wanted[rgb]] += 1
    print(json.dumps({"width": width, "height": height, "distinct": len(distinct), "counts": counts}))


if __name__ == "__main__":
    main()
