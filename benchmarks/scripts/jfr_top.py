#!/usr/bin/env python3
"""Where a thread's CPU samples go in a JFR recording: top frames by self and by inclusive share.

    python3 benchmarks/scripts/jfr_top.py /tmp/inv.jfr [thread-regex] [frame-substring ...]

thread-regex defaults to Kafka Streams stream threads (not their producers' network threads). Each
frame-substring given (e.g. StockLedger.review readyToProcess WireSerializer) is reported as the share of
samples whose stack contains it. Needs `jfr` (the JDK's) on the PATH.
"""
import collections
import json
import re
import subprocess
import sys


def frame(f):
    method = f["method"]
    return method["type"]["name"].split("/")[-1] + "." + method["name"]


def main():
    recording = sys.argv[1]
    thread = re.compile(sys.argv[2] if len(sys.argv) > 2 else r".*-StreamThread-\d+$")
    wanted = sys.argv[3:]
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", "jdk.ExecutionSample",
                          recording], capture_output=True, text=True, check=True).stdout
    own, inclusive, named = collections.Counter(), collections.Counter(), collections.Counter()
    samples = 0
    for event in json.loads(out)["recording"]["events"]:
        values = event["values"]
        name = (values.get("sampledThread") or {}).get("javaName") or ""
        if not thread.match(name):
            continue
        frames = [frame(f) for f in (values.get("stackTrace") or {}).get("frames") or []]
        if not frames:
            continue
        samples += 1
        own[frames[0]] += 1
        for f in set(frames):
            inclusive[f] += 1
        for w in wanted:
            if any(w in f for f in frames):
                named[w] += 1
    print(f"{samples} samples of threads matching {thread.pattern}")
    if not samples:
        return
    for w in wanted:
        print(f"{named[w] * 100 / samples:5.1f}%  {w}")
    print("-- self")
    for f, n in own.most_common(25):
        print(f"{n * 100 / samples:5.1f}%  {f}")
    print("-- inclusive")
    for f, n in inclusive.most_common(40):
        print(f"{n * 100 / samples:5.1f}%  {f}")


if __name__ == "__main__":
    main()
