#!/usr/bin/env python3
"""Turn the criterion results of `cargo bench --bench protocol` into the
README's table and the chart book/src/protocol-costs.svg.

    cargo bench --bench protocol
    python3 scripts/bench_report.py            # prints the Markdown table
    python3 scripts/bench_report.py --svg book/src/protocol-costs.svg

Every figure is criterion's median, per operation (per item where a bench
declares a throughput of several items), and every ratio is to the
hand-written baseline of the same group, measured in the same run.
"""

import argparse
import glob
import json
import os
import sys

GROUPS = [
    'fibonacci_u64 per item',
    'running_sum per send',
    'running_sum create + first resume + drop',
    'guarded throw caught + next',
    'running_sum close',
]
BACKENDS = ['nightly', 'genawaiter', 'async-stream']
COLOURS = {'baseline': '#7f7f7f', 'nightly': '#1f77b4', 'genawaiter': '#d62728',
           'async-stream': '#2ca02c'}


def load(root):
    """{group: {function: ns per op}} from criterion's JSON files."""
    results = {}
    for path in glob.glob(os.path.join(root, '*', '*', 'new', 'benchmark.json')):
        with open(path) as f:
            bench = json.load(f)
        with open(os.path.join(os.path.dirname(path), 'estimates.json')) as f:
            estimates = json.load(f)
        ns = estimates['median']['point_estimate']
        throughput = bench.get('throughput') or {}
        items = throughput.get('Elements') or 1
        results.setdefault(bench['group_id'], {})[bench['function_id']] = ns / items
    return results


def table(results):
    lines = ['| operation | hand-written | ' + ' | '.join(
        f'{b} raw | {b} pygen' for b in BACKENDS) + ' |',
        '|---|---:|' + '---:|---:|' * len(BACKENDS)]
    for group in GROUPS:
        row = results.get(group)
        if not row or 'baseline' not in row:
            continue
        base = row['baseline']
        cells = [group, f'{base:.2f} ns']
        for backend in BACKENDS:
            for flavour in ('raw', 'pygen'):
                ns = row.get(f'{backend}/{flavour}')
                if ns is None:
                    cells.append('')
                elif flavour == 'pygen' and f'{backend}/raw' in row:
                    raw = row[f'{backend}/raw']
                    cells.append(f'{ns:.2f} ns ({ns / base:.1f}x; {ns / raw - 1:+.0%} over raw)')
                else:
                    cells.append(f'{ns:.2f} ns ({ns / base:.1f}x)')
        lines.append('| ' + ' | '.join(cells) + ' |')
    extra = [(g, f, ns) for g in GROUPS for f, ns in sorted(results.get(g, {}).items())
             if f != 'baseline' and not f.endswith(('/raw', '/pygen'))]
    for group, function, ns in extra:
        base = results[group]['baseline']
        lines.append(f'\n{group}, {function}: {ns:.2f} ns ({ns / base:.1f}x)')
    return '\n'.join(lines)


def svg(results):
    """A horizontal bar chart, one block of bars per operation: the
    baseline and each backend through pygen, in ns per operation."""
    series = ['baseline'] + BACKENDS
    groups = [g for g in GROUPS if g in results]
    bar, gap, left, width = 14, 18, 300, 430
    height = 60 + len(groups) * (len(series) * bar + gap) + 50
    top = max(results[g].get(s if s == 'baseline' else f'{s}/pygen', 0)
              for g in groups for s in series) or 1
    scale = width / top
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 180}" '
           f'height="{height}" font-family="sans-serif" font-size="12">',
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="24" font-size="15" font-weight="bold">pygen: cost per '
           f'operation, ns (median, criterion; lower is better)</text>']
    y = 50
    for group in groups:
        out.append(f'<text x="10" y="{y + len(series) * bar / 2 + 4}">{group}</text>')
        for s in series:
            key = s if s == 'baseline' else f'{s}/pygen'
            ns = results[group].get(key)
            if ns is None:
                y += bar
                continue
            w = max(1.0, ns * scale)
            label = 'hand-written' if s == 'baseline' else s
            out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar - 2}" '
                       f'fill="{COLOURS[s]}"/>')
            out.append(f'<text x="{left + w + 4:.1f}" y="{y + bar - 4}">{ns:.2f} '
                       f'({label})</text>')
            y += bar
        y += gap
    out.append(f'<line x1="{left}" y1="45" x2="{left}" y2="{y - gap + 4}" stroke="black"/>')
    out.append(f'<text x="10" y="{y + 10}" font-size="11" fill="#555">Each backend through '
               f'pygen\'s Generator, beside a hand-written baseline measured in the same run.</text>')
    out.append(f'<text x="10" y="{y + 26}" font-size="11" fill="#555">cargo bench --bench '
               f'protocol; python3 scripts/bench_report.py --svg book/src/protocol-costs.svg</text>')
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--criterion', default='target/criterion',
                        help='criterion output folder (default: %(default)s)')
    parser.add_argument('--svg', help='also write the chart to this file')
    args = parser.parse_args()
    results = load(args.criterion)
    if not results:
        sys.exit(f'no criterion results under {args.criterion}: '
                 'run cargo bench --bench protocol first')
    print(table(results))
    if args.svg:
        os.makedirs(os.path.dirname(args.svg) or '.', exist_ok=True)
        with open(args.svg, 'w') as f:
            f.write(svg(results))
        print(f'\nwrote {args.svg}', file=sys.stderr)


if __name__ == '__main__':
    main()
