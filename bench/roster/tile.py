"""Builds a long-horizon stress instance by repeating a benchmark instance.

The held-out Curtois-Qu instances 17-24 (up to 364 days and 150 people) are
not in the repository; this tiles a shipped one K times along the horizon
(days off, requests and cover repeat; minute limits and weekend limits scale
by K) so that memory use and time to a feasible roster can be measured at
that size. The result is a stress test, not a benchmark with a known best.

usage: tile.py INSTANCE K OUT
"""

import sys


def main():
    src, k, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sections, order, cur = {}, [], None
    for raw in open(src):
        line = raw.rstrip("\r\n")
        if line.startswith("#"):
            continue
        if not line.strip():
            cur = None
            continue
        if line.startswith("SECTION_"):
            cur = line
            order.append(cur)
            sections[cur] = []
            continue
        sections[cur].append(line)
    h = int(sections["SECTION_HORIZON"][0])
    res = {"SECTION_HORIZON": [str(h * k)], "SECTION_SHIFTS": sections["SECTION_SHIFTS"]}
    staff = []
    for rec in sections["SECTION_STAFF"]:
        f = rec.split(",")
        limits = "|".join(
            p.split("=")[0] + "=" + str(int(p.split("=")[1]) * k) for p in f[1].split("|") if p)
        staff.append(",".join([f[0], limits, str(int(f[2]) * k), str(int(f[3]) * k), f[4], f[5], f[6],
                               str(int(f[7]) * k)]))
    res["SECTION_STAFF"] = staff
    off = []
    for rec in sections["SECTION_DAYS_OFF"]:
        f = rec.split(",")
        off.append(",".join([f[0]] + [str(int(d) + h * i) for i in range(k) for d in f[1:] if d]))
    res["SECTION_DAYS_OFF"] = off
    for key in ("SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS"):
        res[key] = []
        for i in range(k):
            for rec in sections[key]:
                e, d, s, w = rec.split(",")
                res[key].append(f"{e},{int(d) + h * i},{s},{w}")
    res["SECTION_COVER"] = []
    for i in range(k):
        for rec in sections["SECTION_COVER"]:
            d, s, req, wu, wo = rec.split(",")
            res["SECTION_COVER"].append(f"{int(d) + h * i},{s},{abs(int(req))},{wu},{wo}")
    with open(out, "w") as f:
        f.write(f"# {src} tiled {k} times\n")
        for key in order:
            f.write(key + "\n" + "\n".join(res[key]) + "\n\n")


if __name__ == "__main__":
    main()
