#!/usr/bin/python3
"""Draws the suite's run times relative to native (median of the timed runs, log scale) as a
grouped bar chart, one group per program, one bar per runtime.

  chart.py results.json chart.png        # results.json as run.py writes it
"""
import json
import statistics
import sys

import matplotlib

matplotlib.use('Agg')  # no display: write the file only
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: chart.py results.json chart.png')
    with open(sys.argv[1]) as f:
        data = json.load(f)
    meta, records = data['meta'], data['records']
    runs = [r for r in records if r['phase'] == 'run' and r['status'] == 0]
    programs = sorted({r['program'] for r in runs})
    runtimes = [rt for rt in meta['runtimes'] if rt != 'native']

    def median(prog, rt):
        xs = [r['wall'] for r in runs if r['program'] == prog and r['runtime'] == rt]
        return statistics.median(xs) if xs else None

    fig, ax = plt.subplots(figsize=(max(8, len(programs) * 0.7), 4.5))
    width = 0.8 / len(runtimes)
    for k, rt in enumerate(runtimes):
        xs, ys = [], []
        for i, prog in enumerate(programs):
            native, t = median(prog, 'native'), median(prog, rt)
            if native and t:
                xs.append(i + (k - (len(runtimes) - 1) / 2) * width)
                ys.append(t / native)
        ax.bar(xs, ys, width, label=rt)
    ax.axhline(1.0, color='black', linewidth=0.8)
    ax.set_yscale('log')
    ax.set_xticks(range(len(programs)))
    ax.set_xticklabels(programs, rotation=45, ha='right')
    ax.set_ylabel('wall time / native (median, log scale)')
    ax.set_title('Suite against the peers, %s, load %s' % (meta['started'], meta['load_before']))
    ax.legend()
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == '__main__':
    main()
