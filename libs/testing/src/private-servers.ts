import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * PostgreSQL and Redis servers of one's own, on free ports, for tests that
 * restart them (the chaos suite): restarting the machine's shared servers
 * would break every other test and `npm run up` on the machine.
 */

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function untilAccepting(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const accepting = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepting) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Nothing accepted connections on port ${port} within ${timeoutMs} ms`);
}

function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const newest = readdirSync(root)
    .map(Number)
    .filter(Number.isFinite)
    .sort((a, b) => b - a)[0];
  if (newest === undefined) throw new Error(`No PostgreSQL server is installed under ${root}`);
  return path.join(root, String(newest), 'bin');
}

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` account. */
function asPostgresAccount(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

export class PrivatePostgres {
  private constructor(
    private readonly directory: string,
    readonly port: number,
    private readonly settings: Readonly<Record<string, string>>,
  ) {}

  /**
   * A new cluster with trust authentication, listening on 127.0.0.1 only;
   * `settings` are server settings on top of the defaults (a library to preload, say).
   */
  static async start(settings: Readonly<Record<string, string>> = {}): Promise<PrivatePostgres> {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'nrm-postgres-'));
    if (process.getuid?.() === 0) {
      chmodSync(directory, 0o700);
      const account = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
      const group = execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim();
      chownSync(directory, Number(account), Number(group));
    }
    const [initdb, args] = asPostgresAccount(path.join(postgresBinaries(), 'initdb'), [
      '-D',
      path.join(directory, 'data'),
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
    execFileSync(initdb, args, { stdio: 'ignore' });
    const server = new PrivatePostgres(directory, await freePort(), settings);
    await server.begin();
    return server;
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  /**
   * `immediate` ends every backend without a checkpoint, as a crash or a
   * power cut does; the next start runs crash recovery from the WAL.
   */
  async restart(downForMs = 0): Promise<void> {
    this.pgCtl(['stop', '-m', 'immediate']);
    await new Promise((resolve) => setTimeout(resolve, downForMs));
    await this.begin();
  }

  stop(): void {
    this.pgCtl(['stop', '-m', 'fast']);
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async begin(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.directory}`,
      '-c max_connections=200',
      ...Object.entries(this.settings).map(([name, value]) => `-c ${name}=${value}`),
    ].join(' ');
    this.pgCtl(['start', '-w', '-l', path.join(this.directory, 'server.log'), '-o', options]);
    await untilAccepting(this.port, 30_000);
  }

  private pgCtl(args: string[]): void {
    const [command, full] = asPostgresAccount(path.join(postgresBinaries(), 'pg_ctl'), [
      '-D',
      path.join(this.directory, 'data'),
      ...args,
    ]);
    execFileSync(command, full, { stdio: 'ignore' });
  }
}

/** A Redis that keeps nothing on disk, as in production here: a restart starts it empty. */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const server = new PrivateRedis(await freePort());
    await server.begin();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async restart(downForMs = 0): Promise<void> {
    await this.stop();
    await new Promise((resolve) => setTimeout(resolve, downForMs));
    await this.begin();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }

  private async begin(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await untilAccepting(this.port, 10_000);
  }
}
