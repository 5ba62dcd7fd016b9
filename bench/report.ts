import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '../tools/db/database';

/** Beside the services' CPU profiles, the measured part of a surge run, on the profiles' clock. */
export const PROFILE_WINDOW_FILE = 'window.json';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles: each figure is a value that was measured, not an interpolation. */
export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) throw new Error('No values to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (percent: number) => sorted[Math.ceil((percent / 100) * sorted.length) - 1];
  return { p50: rank(50), p90: rank(90), p99: rank(99), max: sorted[sorted.length - 1] };
}

export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Writes `bench/results/<name>-latest.json`, the markdown and any other files (a chart) beside it; returns their paths. */
export function writeResults(
  name: string,
  result: unknown,
  markdown: string,
  others: Record<string, Buffer> = {},
): string[] {
  const directory = path.join(REPOSITORY_ROOT, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const files: [string, string | Buffer][] = [
    [path.join(directory, `${name}-latest.json`), `${JSON.stringify(result, null, 2)}\n`],
    [path.join(directory, `${name}-latest.md`), `${markdown}\n`],
    ...Object.entries(others).map(([file, content]): [string, Buffer] => [
      path.join(directory, file),
      content,
    ]),
  ];
  for (const [file, content] of files) writeFileSync(file, content);
  return files.map(([file]) => file);
}
