#!/usr/bin/env python3
"""tests/lib/mkpng.py KIND WIDTH HEIGHT OUT.png - writes a small colour PNG
(RGB, 8 bits, no metadata) with zlib alone, for the tests' books:
  gradient  red to blue across, green down (a photograph's colours)
  star      an orange disc with a blue centre on white (an icon)
The same arguments give the same bytes."""
import struct
import sys
import zlib


def chunk(kind, data):
    c = struct.pack('>I', len(data)) + kind + data
    return c + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)


def pixel(kind, x, y, w, h):
    if kind == 'gradient':
        return (255 * x // max(w - 1, 1), 255 * y // max(h - 1, 1),
                255 - 255 * x // max(w - 1, 1))
    dx, dy = x - (w - 1) / 2, y - (h - 1) / 2
    r2 = (dx * dx + dy * dy) / ((w / 2) ** 2)
    if r2 < 0.15:
        return (20, 60, 200)
    if r2 < 1:
        return (240, 140, 20)
    return (255, 255, 255)


def main():
    kind, w, h, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rows = bytearray()
    for y in range(h):
        # filter 1 (Sub): each byte less the one a pixel left, which
        # makes a gradient's rows nearly constant and small
        line = bytearray()
        for x in range(w):
            line.extend(pixel(kind, x, y, w, h))
        rows.append(1)
        rows.extend((line[i] - (line[i - 3] if i >= 3 else 0)) & 0xff
                    for i in range(len(line)))
    png = b'\x89PNG\r\n\x1a\n'
    png += chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
    png += chunk(b'IDAT', zlib.compress(bytes(rows), 9))
    png += chunk(b'IEND', b'')
    with open(out, 'wb') as f:
        f.write(png)


main()
