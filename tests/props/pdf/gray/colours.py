# colours.py PPM...: for each picture pdftoppm drew, the count of its pixels
# that are not gray (their red, green and blue more than 2 apart):
# "FILE COUNT WIDEST-SPREAD"
import sys

def ppm(path):
    d = open(path, 'rb').read()
    fields, i = [], 0
    while len(fields) < 4:
        while d[i:i + 1].isspace():
            i += 1
        if d[i:i + 1] == b'#':
            while d[i:i + 1] != b'\n':
                i += 1
            continue
        j = i
        while not d[j:j + 1].isspace():
            j += 1
        fields.append(d[i:j])
        i = j
    if fields[0] != b'P6' or fields[3] != b'255':
        sys.exit('%s: not a P6 picture of 8-bit channels' % path)
    w, h = int(fields[1]), int(fields[2])
    return d[i + 1:i + 1 + 3 * w * h]

for path in sys.argv[1:]:
    px = ppm(path)
    n = widest = 0
    for k in range(0, len(px), 3):
        spread = max(px[k], px[k + 1], px[k + 2]) - min(px[k], px[k + 1], px[k + 2])
        if spread > 2:
            n += 1
        widest = max(widest, spread)
    print(path.rsplit('/', 1)[-1], n, widest)
