import { mkdirSync, writeFileSync } from 'node:fs';

export interface ScaleRow {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  readonly verdict: string;
}

/** Prints the table and writes bench/results/scale.json (every figure) and scale.md (the table). */
export function writeScaleResults(rows: readonly ScaleRow[], figures: Record<string, unknown>): void {
  const header = ['figure', 'value', 'target / reference', 'verdict'];
  const lines = [header, ...rows.map((r) => [r.figure, r.value, r.target, r.verdict])];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  for (const line of lines) console.log(line.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
  const markdown = [
    '# Scale: many partitions, many idle connections',
    '',
    'One broker as `npm start` hosts it (embedded PGlite registry), each run in a new process. `npm run bench -- scale`.',
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${[r.figure.trim(), r.value, r.target, r.verdict].join(' | ')} |`),
    '',
  ].join('\n');
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('scale.json', dir), `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(new URL('scale.md', dir), markdown);
}
