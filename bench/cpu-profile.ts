import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { markdownTable, PROFILE_WINDOW_FILE } from './report';

/**
 * Where each service's CPU went in a surge run with `SURGE_CPU_PROFILE_DIR`:
 * the share of its busy samples (idle, program and garbage collection aside)
 * spent in each package, and in each function, by itself and with what it
 * called, within the measured part of the run (start-up and warm-up left
 * out) when the bench wrote it down. A sample is charged to the first package on its stack from the top,
 * so a library's time is not hidden in the code that called it.
 *
 * `npm run bench:profile -- <dir> [package|function] [rows]`
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Window {
  fromMicroseconds: number;
  toMicroseconds: number;
}

/** The samples taken within the window, or all of them without one. */
function sampledWithin(profile: CpuProfile, window: Window | undefined): number[] {
  if (!window) return profile.samples;
  const within: number[] = [];
  let time = profile.startTime;
  profile.samples.forEach((sample, index) => {
    time += profile.timeDeltas[index];
    if (time >= window.fromMicroseconds && time <= window.toMicroseconds) within.push(sample);
  });
  return within;
}

const NOT_BUSY = new Set(['(idle)', '(program)', '(root)']);

function packageOf(url: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return 'node';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.indexOf('/dist/');
  return dist >= 0
    ? url
        .slice(dist + '/dist/'.length)
        .split('/')
        .slice(0, 2)
        .join('/')
    : url;
}

function functionOf(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${path.basename(url)}:${lineNumber + 1}`;
}

/** Self and inclusive shares, in % of busy samples, keyed by what `keyOf` names each frame. */
function shares(
  profile: CpuProfile,
  samples: number[],
  keyOf: (node: ProfileNode) => string,
  byPackage: boolean,
) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (const sampled of samples) {
    const leaf = nodes.get(sampled);
    if (!leaf || NOT_BUSY.has(leaf.callFrame.functionName)) continue;
    busy += 1;
    const stack: ProfileNode[] = [];
    for (let id: number | undefined = sampled; id !== undefined; id = parents.get(id)) {
      const node = nodes.get(id);
      if (node && node.callFrame.functionName !== '(root)') stack.push(node);
    }
    const charged =
      byPackage && leaf.callFrame.functionName !== '(garbage collector)'
        ? (stack.find((node) => packageOf(node.callFrame.url) !== 'node' && node.callFrame.url) ?? leaf)
        : leaf;
    const selfKey =
      charged === leaf && leaf.callFrame.functionName === '(garbage collector)' ? '(gc)' : keyOf(charged);
    self.set(selfKey, (self.get(selfKey) ?? 0) + 1);
    for (const key of new Set(stack.map(keyOf))) inclusive.set(key, (inclusive.get(key) ?? 0) + 1);
  }
  const percent = (count: number) => Math.round((count / Math.max(busy, 1)) * 1000) / 10;
  return { busy, self, inclusive, percent };
}

function main(): void {
  const [dir, mode = 'package', rowsArgument = '15'] = process.argv.slice(2);
  if (!dir)
    throw new Error('Usage: npm run bench:profile -- <SURGE_CPU_PROFILE_DIR> [package|function] [rows]');
  const rows = Number(rowsArgument);
  const byPackage = mode === 'package';
  const windowFile = path.join(dir, PROFILE_WINDOW_FILE);
  const window = existsSync(windowFile)
    ? (JSON.parse(readFileSync(windowFile, 'utf8')) as Window)
    : undefined;
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort()) {
    const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
    const keyOf = byPackage ? (node: ProfileNode) => packageOf(node.callFrame.url) : functionOf;
    const { busy, self, inclusive, percent } = shares(
      profile,
      sampledWithin(profile, window),
      keyOf,
      byPackage,
    );
    const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, rows);
    console.log(`\n${file}: ${busy} busy samples\n`);
    console.log(
      markdownTable(
        [mode, 'self %', 'inclusive %'],
        top.map(([key, count]) => [key, percent(count), percent(inclusive.get(key) ?? count)]),
      ),
    );
  }
}

main();
