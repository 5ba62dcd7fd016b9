import { ChildProcess, spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONSOLE_DEFAULT_PORT, DEFAULT_PORTS, ServiceName } from '@nrm/config';

/** What runs as its own process: the services, and the web console over them. */
export type Deployable = ServiceName | 'console';

/** The compiled build, whether this file runs from `dist/` or from source under a test runner. */
const DIST_ROOT = __dirname.includes(`${path.sep}dist${path.sep}`)
  ? __dirname.slice(0, __dirname.indexOf(`${path.sep}dist${path.sep}`) + 5)
  : path.resolve(__dirname, '..', '..', '..', 'dist');

export interface ServiceProcessOptions {
  service: Deployable;
  env: Record<string, string>;
  /** 0: any free port, learnt from the service's "ready" line (no race with other test files for a port). */
  port?: number;
  /** Receives each line the service prints (JSON logs). */
  onLine?: (line: string) => void;
  /** Its CPU priority below the others' (Unix niceness, 0 to 19). */
  niceness?: number;
  /** Options for Node itself, such as `--cpu-prof`, which Node refuses in NODE_OPTIONS. */
  nodeArguments?: string[];
}

/**
 * When every service shares one machine, those that work off events yield the
 * CPU to intake, which people wait on: in a surge a case worker's referral is
 * acknowledged at once, and the events it starts are worked off behind it.
 * They still answer their own requests, more slowly while intake is busy.
 * (bench/README.md has the figures both ways.)
 */
export const CATCH_UP_NICENESS: Readonly<Partial<Record<Deployable, number>>> = {
  routing: 10,
  province: 10,
  notifications: 10,
  oversight: 10,
};

/** How many of its last lines a service that fails to start shows in the error. */
const RECENT_LINES = 20;

/**
 * One service running as its own operating-system process from the compiled
 * build, as in production: used by `npm run up` and by the end-to-end tests.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private readonly recentLines: string[] = [];
  private readonly requestedPort: number;
  private boundPort: number | undefined;

  constructor(private readonly options: ServiceProcessOptions) {
    this.requestedPort =
      options.port ?? (options.service === 'console' ? CONSOLE_DEFAULT_PORT : DEFAULT_PORTS[options.service]);
    this.boundPort = this.requestedPort === 0 ? undefined : this.requestedPort;
  }

  get port(): number {
    if (this.boundPort === undefined)
      throw new Error(`${this.service} has not said which port it listens on yet`);
    return this.boundPort;
  }

  get service(): Deployable {
    return this.options.service;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Settings for the next start, as an operator changes them between restarts. */
  setEnvironment(changes: Record<string, string>): void {
    Object.assign(this.options.env, changes);
  }

  /** The "<service> ready" log line names the URL the service listens on. */
  private learnPort(line: string): void {
    if (this.requestedPort !== 0 || !line.includes(`"${this.service} ready"`)) return;
    const url = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
    if (url) this.boundPort = Number(new URL(url).port);
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.requestedPort === 0) this.boundPort = undefined;
    const entry = path.join(DIST_ROOT, 'apps', this.service, 'src', 'main.js');
    const child = spawn(process.execPath, [...(this.options.nodeArguments ?? []), entry], {
      env: {
        ...process.env,
        ...this.options.env,
        [`${this.service.toUpperCase()}_PORT`]: String(this.requestedPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    if (this.options.niceness && child.pid) os.setPriority(child.pid, this.options.niceness);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    for (const stream of [child.stdout, child.stderr]) {
      let buffered = '';
      stream?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          if (!line) continue;
          this.learnPort(line);
          this.recentLines.push(line);
          if (this.recentLines.length > RECENT_LINES) this.recentLines.shift();
          this.options.onLine?.(line);
        }
      });
    }
    await this.waitUntilHealthy(timeoutMs);
  }

  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    while (Date.now() < deadline) {
      if (exitCode !== undefined)
        throw new Error(
          `${this.service} exited with code ${exitCode} while starting. Its last lines:\n${this.recentLines.join('\n')}`,
        );
      try {
        if (this.boundPort !== undefined && (await fetch(`${this.url}/health`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.service} did not become healthy within ${timeoutMs} ms`);
  }

  /** SIGTERM lets the service finish its work and close cleanly; SIGKILL simulates a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }
}
