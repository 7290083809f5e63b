#!/usr/bin/env python3
"""Where each thread's time goes in a JFR recording (docs/PERFORMANCE.md, "Profile, December 2026").

    benchmarks/jfr-threads.py RECORDING.jfr [TOP] [FRAME...]

For every Java thread with at least 3% of the execution samples: its share, its TOP hottest
frames (self time, with file line) and, for each FRAME given (a method name such as
InternTable.intern), the share of the thread's samples that have it anywhere on the stack.
Threads named bucketlog-writer-<id> and producer-<n> are merged per kind. Needs `jfr` (JDK).
"""
import collections
import re
import subprocess
import sys


def samples(recording):
    out = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64',
                          recording], capture_output=True, text=True, check=True).stdout
    for block in out.split('jdk.ExecutionSample {')[1:]:
        m = re.search(r'sampledThread = "([^"]*)"', block)
        thread = m.group(1) if m else '?'
        thread = re.sub(r'bucketlog-writer-.*', 'bucketlog-writer', thread)
        thread = re.sub(r'producer-\d+', 'producer', thread)
        stack = block.split('stackTrace = [', 1)[1] if 'stackTrace = [' in block else ''
        frames = [line.strip() for line in stack.split('\n')[1:]
                  if line.strip() and line.strip() not in (']', '}', '...')]
        yield thread, frames


def main():
    recording = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    wanted = sys.argv[3:]
    by_thread = collections.defaultdict(list)
    for thread, frames in samples(recording):
        by_thread[thread].append(frames)
    total = sum(len(v) for v in by_thread.values())
    for thread, stacks in sorted(by_thread.items(), key=lambda kv: -len(kv[1])):
        if len(stacks) < 0.03 * total:
            continue
        n = len(stacks)
        print(f'{thread}: {n} samples, {100 * n / total:.0f}% of {total}')
        hot = collections.Counter(s[0] if s else '?' for s in stacks)
        for frame, c in hot.most_common(top):
            print(f'  self {100 * c / n:5.1f}%  {frame}')
        for w in wanted:
            c = sum(1 for s in stacks if any(w + '(' in f for f in s))
            print(f'  on stack {100 * c / n:5.1f}%  {w}')


if __name__ == '__main__':
    main()
