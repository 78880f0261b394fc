"""CP-SAT peer for the roster benchmark (see shared/bench/roster/PEER.md).

A direct OR-Tools CP-SAT model of the Curtois-Qu problem, written from
FORMAT.md: Boolean x[employee, day, shift], linear sums for cover, minutes and
per-type maxima, sliding windows for the longest run, forbidden patterns as
clauses for the shortest runs of work and rest (border runs exempt), and
slack variables for under- and over-cover. The wall-clock budget includes
parsing and model building. Writes the roster in the text format of
FORMAT.md section 6.2 and prints one JSON line with the outcome.

usage: peer_cpsat.py INSTANCE --seconds N --threads T --seed S --out FILE
"""

import argparse
import json
import sys
import time

from ortools.sat.python import cp_model


def parse(path):
    sections, cur = {}, None
    with open(path) as f:
        for raw in f:
            line = raw.rstrip("\r\n").strip()
            if line.startswith("#"):
                continue
            if not line:
                cur = None
                continue
            if line.startswith("SECTION_"):
                cur = line
                sections[cur] = []
                continue
            sections[cur].append(line)
    horizon = int(sections["SECTION_HORIZON"][0])
    shifts, length, forbid = [], {}, {}
    for rec in sections["SECTION_SHIFTS"]:
        f = rec.split(",")
        shifts.append(f[0])
        length[f[0]] = int(f[1])
        forbid[f[0]] = [s for s in (f[2].split("|") if len(f) > 2 else []) if s]
    staff = []
    for rec in sections["SECTION_STAFF"]:
        f = rec.split(",")
        limits = dict((p.split("=")[0], int(p.split("=")[1])) for p in f[1].split("|") if p)
        staff.append(dict(id=f[0], max=limits, maxm=int(f[2]), minm=int(f[3]), maxc=int(f[4]),
                          minc=int(f[5]), mino=int(f[6]), maxw=int(f[7]), off=set()))
    index = {p["id"]: i for i, p in enumerate(staff)}
    for rec in sections.get("SECTION_DAYS_OFF", []):
        f = rec.split(",")
        staff[index[f[0]]]["off"].update(int(d) for d in f[1:] if d)
    def requests(key):
        out = []
        for rec in sections.get(key, []):
            e, d, s, w = rec.split(",")
            out.append((index[e], int(d), s, int(w)))
        return out
    cover = []
    for rec in sections["SECTION_COVER"]:
        d, s, req, wu, wo = rec.split(",")
        cover.append((int(d), s, abs(int(req)), int(wu), int(wo)))
    return horizon, shifts, length, forbid, staff, requests("SECTION_SHIFT_ON_REQUESTS"), \
        requests("SECTION_SHIFT_OFF_REQUESTS"), cover


class FirstFeasible(cp_model.CpSolverSolutionCallback):
    def __init__(self, start):
        super().__init__()
        self.start = start
        self.first = None

    def on_solution_callback(self):
        if self.first is None:
            self.first = time.time() - self.start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("instance")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    start = time.time()
    H, shifts, length, forbid, staff, on_req, off_req, cover = parse(a.instance)
    m = cp_model.CpModel()
    x = {}
    for e, p in enumerate(staff):
        for d in range(H):
            if d in p["off"]:
                continue
            for s in shifts:
                if p["max"].get(s, H) > 0:
                    x[e, d, s] = m.NewBoolVar("")
    work = {}
    for e, p in enumerate(staff):
        for d in range(H):
            cells = [x[e, d, s] for s in shifts if (e, d, s) in x]
            w = m.NewBoolVar("")
            m.Add(sum(cells) == w)
            work[e, d] = w
        for d in range(H - 1):
            for s in shifts:
                for t in forbid[s]:
                    if (e, d, s) in x and (e, d + 1, t) in x:
                        m.AddBoolOr([x[e, d, s].Not(), x[e, d + 1, t].Not()])
        for s in shifts:
            lim = p["max"].get(s, H)
            cells = [x[e, d, s] for d in range(H) if (e, d, s) in x]
            if lim < len(cells):
                m.Add(sum(cells) <= lim)
        minutes = sum(length[s] * x[e, d, s] for d in range(H) for s in shifts if (e, d, s) in x)
        m.Add(minutes <= p["maxm"])
        m.Add(minutes >= p["minm"])
        k = p["maxc"]
        for d in range(H - k):
            m.Add(sum(work[e, d + i] for i in range(k + 1)) <= k)
        # Shortest runs: forbid "off, l working days, off" strictly inside the
        # horizon for l < minc, and "work, l days off, work" for l < mino.
        for lo, on in ((p["minc"], True), (p["mino"], False)):
            for l in range(1, lo):
                for d in range(1, H - l):
                    inner = [work[e, d + i] for i in range(l)]
                    if on:
                        m.AddBoolOr([work[e, d - 1]] + [v.Not() for v in inner] + [work[e, d + l]])
                    else:
                        m.AddBoolOr([work[e, d - 1].Not()] + inner + [work[e, d + l].Not()])
        wk = []
        for k in range(H // 7):
            v = m.NewBoolVar("")
            m.AddMaxEquality(v, [work[e, 7 * k + 5], work[e, 7 * k + 6]])
            wk.append(v)
        m.Add(sum(wk) <= p["maxw"])
    terms = []
    for e, d, s, w in on_req:
        terms.append(w * (1 - x[e, d, s]) if (e, d, s) in x else w)
    for e, d, s, w in off_req:
        if (e, d, s) in x:
            terms.append(w * x[e, d, s])
    for d, s, req, wu, wo in cover:
        n = sum(x[e, d, s] for e in range(len(staff)) if (e, d, s) in x)
        under = m.NewIntVar(0, req, "")
        over = m.NewIntVar(0, len(staff), "")
        m.Add(n - req == over - under)
        # Under and over never both positive, so that every feasible
        # solution's objective is its true penalty, not just the optimum's.
        short = m.NewBoolVar("")
        m.Add(over == 0).OnlyEnforceIf(short)
        m.Add(under == 0).OnlyEnforceIf(short.Not())
        terms += [wu * under, wo * over]
    m.Minimize(sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = a.threads
    solver.parameters.random_seed = a.seed
    solver.parameters.max_time_in_seconds = max(0.1, a.seconds - (time.time() - start))
    cb = FirstFeasible(start)
    status = solver.Solve(m, cb)
    wall = time.time() - start
    result = dict(instance=a.instance, status=solver.StatusName(status), seconds=round(wall, 2),
                  first_feasible=None if cb.first is None else round(cb.first, 2))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        result["objective"] = int(solver.ObjectiveValue())
        with open(a.out, "w") as f:
            f.write(f"# {a.instance}\n# Source: OR-Tools CP-SAT peer, {a.threads} workers, {a.seconds} s\n")
            f.write(f"# Expected: penalty {int(solver.ObjectiveValue())} ({solver.StatusName(status)})\n")
            for e, p in enumerate(staff):
                cells = []
                for d in range(H):
                    v = [s for s in shifts if (e, d, s) in x and solver.Value(x[e, d, s])]
                    cells.append(v[0] if v else "-")
                f.write(p["id"] + ": " + " ".join(cells) + "\n")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
