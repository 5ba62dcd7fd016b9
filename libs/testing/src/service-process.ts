import { ChildProcess, spawn } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { CATCH_UP_SERVICES, CONSOLE_DEFAULT_PORT, DEFAULT_PORTS, ServiceName } from '@nrm/config';

/**
 * What runs as its own process: each service alone, the four that work off
 * events together (apps/catch-up), and the web console over them.
 */
export type Deployable = ServiceName | 'catch-up' | 'console';

/** What answers HTTP in a process, each on its own port. */
type Listener = ServiceName | 'console';

function listenersOf(deployable: Deployable): readonly Listener[] {
  return deployable === 'catch-up' ? CATCH_UP_SERVICES : [deployable];
}

/** The compiled build, whether this file runs from `dist/` or from source under a test runner. */
const DIST_ROOT = __dirname.includes(`${path.sep}dist${path.sep}`)
  ? __dirname.slice(0, __dirname.indexOf(`${path.sep}dist${path.sep}`) + 5)
  : path.resolve(__dirname, '..', '..', '..', 'dist');

export interface ServiceProcessOptions {
  service: Deployable;
  env: Record<string, string>;
  /**
   * 0: any free port for each service it runs, learnt from the service's
   * "ready" line (no race with other test files for a port). By default each
   * service's own port.
   */
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
  'catch-up': 10,
};

/** How many of its last lines a service that fails to start shows in the error. */
const RECENT_LINES = 20;

/**
 * One deployable running as its own operating-system process from the
 * compiled build, as in production: used by `npm run up` and by the
 * end-to-end tests.
 */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);
  private readonly recentLines: string[] = [];
  private readonly listeners: readonly Listener[];
  private readonly boundPorts = new Map<Listener, number>();

  constructor(private readonly options: ServiceProcessOptions) {
    this.listeners = listenersOf(options.service);
    this.bindRequestedPorts();
  }

  private requestedPort(listener: Listener): number {
    return this.options.port ?? (listener === 'console' ? CONSOLE_DEFAULT_PORT : DEFAULT_PORTS[listener]);
  }

  private bindRequestedPorts(): void {
    this.boundPorts.clear();
    for (const listener of this.listeners) {
      const port = this.requestedPort(listener);
      if (port !== 0) this.boundPorts.set(listener, port);
    }
  }

  /** The URL of one of the services this process runs. */
  urlOf(listener: Listener): string {
    if (!this.listeners.includes(listener)) throw new Error(`${this.service} does not run ${listener}`);
    const port = this.boundPorts.get(listener);
    if (port === undefined) throw new Error(`${listener} has not said which port it listens on yet`);
    return `http://127.0.0.1:${port}`;
  }

  /** Whether this process runs that service. */
  runs(service: ServiceName): boolean {
    return this.listeners.includes(service);
  }

  get service(): Deployable {
    return this.options.service;
  }

  /** The URL of the one service (or the console) this process runs. */
  get url(): string {
    if (this.listeners.length !== 1)
      throw new Error(`${this.service} runs ${this.listeners.join(', ')}: ask for the URL of one of them`);
    return this.urlOf(this.listeners[0]);
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
    const listener = this.listeners.find((candidate) => line.includes(`"${candidate} ready"`));
    if (!listener || this.requestedPort(listener) !== 0) return;
    const url = /"url":"(http:\/\/[^"]+)"/.exec(line)?.[1];
    if (url) this.boundPorts.set(listener, Number(new URL(url).port));
  }

  async start(timeoutMs = 60_000): Promise<void> {
    this.bindRequestedPorts();
    const entry = path.join(DIST_ROOT, 'apps', this.service, 'src', 'main.js');
    const child = spawn(process.execPath, [...(this.options.nodeArguments ?? []), entry], {
      env: {
        ...process.env,
        ...this.options.env,
        ...Object.fromEntries(
          this.listeners.map((listener) => [
            `${listener.toUpperCase()}_PORT`,
            String(this.requestedPort(listener)),
          ]),
        ),
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

  private async everyListenerHealthy(): Promise<boolean> {
    if (this.listeners.some((listener) => !this.boundPorts.has(listener))) return false;
    const answers = await Promise.all(
      this.listeners.map((listener) => fetch(`${this.urlOf(listener)}/health`)),
    );
    return answers.every((answer) => answer.ok);
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
        if (await this.everyListenerHealthy()) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.service} did not become healthy within ${timeoutMs} ms`);
  }

  /**
   * SIGTERM lets the service finish its work and close cleanly; SIGKILL
   * simulates a crash. The exit code, or null when a signal ended the process
   * (or it was not running).
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return null;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    this.child = null;
    return code;
  }
}
