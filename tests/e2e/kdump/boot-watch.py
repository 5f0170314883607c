#!/usr/bin/env python3
"""Run bochs-boot, keep its serial log, time its progress lines, stop stalls.

Usage: boot-watch.py --log LOG --times TIMES [--stall S]
                     [--stall-after MARKER=S]... -- BOCHS-BOOT-ARGS...

bochs-boot streams the serial console to its stdout; this copies it to LOG
and writes one line "SECONDS TEXT" to TIMES (wall seconds since the start)
for every serial line starting with KDUMP- or KVMGUEST-READY, so each step
of the kdump flow has a wall-clock time next to the emulated uptime it
prints itself.

bochs-boot has one timeout for the whole run; a kdump run has phases of
very different lengths (a silent dump copy takes a minute, a capture kernel
that does not come up is silent forever). So the run is also stopped when
no progress line came for --stall seconds (default 90), or for the number
given with --stall-after for the last progress line that starts with
MARKER. Stopping means SIGTERM to bochs-boot, which then stops its Bochs
and removes its files.

Exit status: bochs-boot's (0: its marker was seen), or 3 after a stall.
Its stderr (the verdict line) is passed through.
"""

import argparse
import os
import selectors
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BOCHS_BOOT = os.path.join(os.path.dirname(HERE), "bochs-boot")
PROGRESS = (b"KDUMP-", b"KVMGUEST-READY")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--log", required=True)
    ap.add_argument("--times", required=True)
    ap.add_argument("--stall", type=float, default=90)
    ap.add_argument("--stall-after", action="append", default=[],
                    metavar="MARKER=S")
    ap.add_argument("boot_args", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    if args.boot_args[:1] == ["--"]:
        args.boot_args = args.boot_args[1:]
    stalls = []
    for spec in args.stall_after:
        marker, _, seconds = spec.rpartition("=")
        try:
            stalls.append((marker.encode(), float(seconds)))
        except ValueError:
            ap.error("--stall-after %r: want MARKER=SECONDS" % spec)
    args.stalls = stalls
    return args


def allowed_silence(args, last):
    for marker, seconds in args.stalls:
        if last.startswith(marker):
            return seconds
    return args.stall


def main():
    args = parse_args()
    start = time.monotonic()
    proc = subprocess.Popen([BOCHS_BOOT] + args.boot_args,
                            stdout=subprocess.PIPE)

    def forward(signum, _frame):
        proc.send_signal(signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, forward)

    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    stalled = None
    last_line, last_at = b"", start
    pending = b""
    with open(args.log, "wb") as log, open(args.times, "w") as times:
        while True:
            events = sel.select(timeout=0.5)
            now = time.monotonic()
            if events:
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                log.write(chunk)
                log.flush()
                lines = (pending + chunk).split(b"\n")
                pending = lines.pop()
                for line in lines:
                    line = line.rstrip(b"\r")
                    if line.startswith(PROGRESS):
                        times.write("%.1f %s\n" % (
                            now - start, line.decode(errors="replace")))
                        times.flush()
                        last_line, last_at = line, now
            limit = allowed_silence(args, last_line)
            if stalled is None and now - last_at > limit:
                stalled = ("no progress for %.0f s after %r"
                           % (limit, last_line.decode(errors="replace")
                              or "the start"))
                print("boot-watch: stopping: " + stalled, file=sys.stderr,
                      flush=True)
                proc.terminate()
    status = proc.wait()
    if stalled:
        with open(args.times, "a") as times:
            times.write("%.1f STALL %s\n" % (time.monotonic() - start,
                                             stalled))
        return 3
    return status


if __name__ == "__main__":
    sys.exit(main())
