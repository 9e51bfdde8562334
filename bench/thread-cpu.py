#!/usr/bin/env python3
"""Where a raft write's CPU goes: per-thread CPU of a 3-node Herald group, per write.

Starts three Herald processes as deployed (bin/herald server, loopback HTTP ports 27101-27103, raft ports
27151-27153, internal store only), waits for a leader, warms the group up with sequential writes, then sends
--writes set-master requests from --clients concurrent keep-alive connections to the leader (or a follower), and
prints for each node the CPU its threads spent per write (utime+stime from /proc/<pid>/task/*/stat, thread names
from `jcmd <pid> Thread.print`, numbers in names folded), and its system time. Stops the processes at the end.

    python3 bench/thread-cpu.py [--writes 3000] [--clients 1] [--to leader|follower] [--warmup 3000]

HERALD_JAVA_OPTS is passed to the servers, as bin/herald does. Linux only (reads /proc).
"""
import argparse, collections, http.client, os, re, shutil, subprocess, sys, tempfile, threading, time

HTTP = [27101, 27102, 27103]
RAFT = [27151, 27152, 27153]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICK_MS = 1000.0 / os.sysconf("SC_CLK_TCK")


def refuse_taken_ports():
    import socket
    for p in HTTP + RAFT:
        s = socket.socket()
        try:
            if s.connect_ex(("127.0.0.1", p)) == 0:
                sys.exit("thread-cpu: 127.0.0.1:%d is taken (another group still running?)" % p)
        finally:
            s.close()


def start(tmp):
    procs = []
    peers = ", ".join('"127.0.0.1:%d"' % p for p in RAFT)
    for i in range(3):
        cfg = os.path.join(tmp, "n%d.json" % i)
        with open(cfg, "w") as f:
            f.write('{ "ListenAddress": "127.0.0.1:%d", "RaftEnabled": true, "RaftBind": "127.0.0.1:%d", '
                    '"RaftNodes": [%s], "RaftInsecureTransport": true, "RaftDataDir": "%s" }\n'
                    % (HTTP[i], RAFT[i], peers, os.path.join(tmp, "d%d" % i)))
        log = open(os.path.join(tmp, "n%d.log" % i), "w")
        procs.append(subprocess.Popen([os.path.join(ROOT, "bin", "herald"), "server", "--config", cfg],
                                      stdout=log, stderr=subprocess.STDOUT))
    return procs


def leader(deadline):
    while time.time() < deadline:
        for p in HTTP:
            try:
                c = http.client.HTTPConnection("127.0.0.1", p, timeout=2)
                c.request("GET", "/api/leader-check")
                r = c.getresponse()
                r.read()
                if r.status == 200:
                    return p
            except OSError:
                pass
        time.sleep(0.3)
    sys.exit("thread-cpu: no leader within 90 s")


def names(pid):
    out = {}
    text = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True).stdout
    for line in text.splitlines():
        m = re.match(r'^"(.*?)".*nid=(0x[0-9a-f]+|[0-9]+)', line)  # hex before JDK 19, decimal since
        if m:
            out[str(int(m.group(2), 0))] = m.group(1)
    return out


def threads(pid, named):
    res = {}
    for t in os.listdir("/proc/%d/task" % pid):
        try:
            s = open("/proc/%d/task/%s/stat" % (pid, t)).read()
        except OSError:
            continue
        f = s[s.rindex(")") + 2:].split()
        name = named.get(t, s[s.index("(") + 1:s.rindex(")")])
        res[t] = (name, int(f[11]), int(f[12]))
    return res


def fold(name):
    return re.sub(r"-\d+$", "-#", re.sub(r"127\.0\.0\.1_\d+", "P", name))


def process_ticks(pid):
    f = open("/proc/%d/stat" % pid).read()
    f = f[f.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])  # every thread's, the ended ones included


def writes(port, n, clients, tag):
    lat = []
    errors = []
    def worker(w):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for k in range(w, n, clients):
                t0 = time.time()
                c.request("POST", "/api/set-master/cpu-%d/127.%d.%d.%d/3306" % (k % 50, tag, k // 200 % 250, k % 200 + 1))
                r = c.getresponse()
                r.read()
                if r.status != 200:
                    raise OSError("HTTP %d from port %d" % (r.status, port))
                lat.append(time.time() - t0)
        except (OSError, http.client.HTTPException) as e:
            errors.append(e)
    ts = [threading.Thread(target=worker, args=(w,)) for w in range(clients)]
    t0 = time.time()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors or len(lat) != n:
        sys.exit("thread-cpu: %d of %d writes failed: %s" % (n - len(lat), n, errors[0] if errors else "?"))
    return time.time() - t0, sorted(lat)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--writes", type=int, default=3000)
    ap.add_argument("--clients", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=3000)
    ap.add_argument("--to", choices=["leader", "follower"], default="leader")
    a = ap.parse_args()
    if not 1 <= a.writes <= 1_000_000 or not 1 <= a.clients <= 256 or not 0 <= a.warmup <= 1_000_000:
        sys.exit("thread-cpu: need 1..1000000 writes, 1..256 clients, 0..1000000 warm-up writes")
    refuse_taken_ports()
    tmp = tempfile.mkdtemp(prefix="herald-thread-cpu")
    procs = start(tmp)
    try:
        lead = leader(time.time() + 90)
        port = lead if a.to == "leader" else next(p for p in HTTP if p != lead)
        writes(lead, a.warmup, 1, 1)
        pids = {i: p.pid for i, p in enumerate(procs)}  # bin/herald execs java: the same pid
        for p in procs:
            if p.poll() is not None:
                sys.exit("thread-cpu: a server exited at start; its log is in " + tmp)
        named = {i: names(pid) for i, pid in pids.items()}
        before = {i: threads(pid, named[i]) for i, pid in pids.items()}
        ticks0 = {i: process_ticks(pid) for i, pid in pids.items()}
        took, lat = writes(port, a.writes, a.clients, 2)
        after = {i: threads(pid, named[i]) for i, pid in pids.items()}
        ticks1 = {i: process_ticks(pid) for i, pid in pids.items()}
        n = a.writes
        print("thread-cpu: %d writes to the %s (port %d), %d clients: %.0f writes/s, p50 %.2f ms, p99 %.2f ms; loadavg %s"
              % (n, a.to, port, a.clients, n / took, lat[n // 2] * 1000, lat[n * 99 // 100] * 1000,
                 open("/proc/loadavg").read().strip()))
        for i in range(3):
            role = "leader" if HTTP[i] == lead else "follower"
            per = collections.Counter()
            system = 0
            for t, (name, u, s) in after[i].items():
                u0, s0 = before[i].get(t, (name, 0, 0))[1:]
                per[fold(name)] += (u - u0) + (s - s0)
                system += s - s0
            print("node %d (%s): %.3f ms CPU per write (the process: %.3f, threads that ended included), of which "
                  "system %.3f" % (i, role, sum(per.values()) * TICK_MS / n, (ticks1[i] - ticks0[i]) * TICK_MS / n,
                                   system * TICK_MS / n))
            for name, v in per.most_common(14):
                if v > 0:
                    print("  %7.3f  %s" % (v * TICK_MS / n, name))
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
