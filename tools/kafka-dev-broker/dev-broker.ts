/**
 * Starts and drives tools/kafka-dev-broker (librdkafka's mock Kafka cluster)
 * from Node: for development and tests, never for production.
 *
 * Only Node built-ins are used so this file can be loaded by any test runner.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface DevBrokerOptions {
  /** Number of mock brokers (ids 1..N). Default 3. */
  brokers?: number;
  /** Topics to create before the broker reports ready. */
  topics: { name: string; partitions: number }[];
  /** Defaults to $KAFKA_DEV_BROKER_BIN, else devBrokerBinaryPath(). */
  binaryPath?: string;
  /** Forward the broker's stderr ('inherit') or not ('ignore', default). */
  stdio?: 'inherit' | 'ignore';
}

export interface DevBroker {
  /** Comma-separated host:port list, usable as KAFKA_BROKERS. */
  bootstrap: string;
  controlPort: number;
  pid: number;
  /** Sends one control command; resolves with the reply, rejects on ERR. */
  control(command: string): Promise<string>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const CONTROL_TIMEOUT_MS = 5_000;
const STDERR_KEEP_CHARS = 8_192;
/** Above this many topics they go through a temporary --topics-file. */
const MAX_TOPIC_ARGS = 32;
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const BINARY_NAME = 'kafka-dev-broker';

export function devBrokerBinaryPath(): string {
  // Loaded as an ES module (e.g. by Node's own type stripping) there is no
  // __dirname; callers can still pass binaryPath or KAFKA_DEV_BROKER_BIN.
  if (typeof __dirname !== 'string') {
    throw new Error(
      'kafka-dev-broker: dev-broker.ts was loaded as an ES module; pass binaryPath or set KAFKA_DEV_BROKER_BIN',
    );
  }
  const beside = path.join(__dirname, 'bin', BINARY_NAME);
  if (existsSync(beside)) return beside;
  // Compiled copies (e.g. dist/tools/kafka-dev-broker/) have no bin/: use the
  // source tree's build, found from the nearest ancestor holding one.
  for (let dir = path.dirname(__dirname); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'tools', 'kafka-dev-broker', 'bin', BINARY_NAME);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return beside;
  }
}

export async function startDevBroker(options: DevBrokerOptions): Promise<DevBroker> {
  const brokers = options.brokers ?? 3;
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > 32) {
    throw new Error(`kafka-dev-broker: brokers must be an integer 1..32, got ${brokers}`);
  }
  for (const topic of options.topics) {
    if (!TOPIC_NAME.test(topic.name) || topic.name === '.' || topic.name === '..') {
      throw new Error(`kafka-dev-broker: invalid topic name "${topic.name}"`);
    }
    if (!Number.isInteger(topic.partitions) || topic.partitions < 1 || topic.partitions > 10_000) {
      throw new Error(
        `kafka-dev-broker: topic "${topic.name}" needs 1..10000 partitions, got ${topic.partitions}`,
      );
    }
  }

  const binary = options.binaryPath ?? process.env['KAFKA_DEV_BROKER_BIN'] ?? devBrokerBinaryPath();
  const args = ['--brokers', String(brokers)];
  let tempDir: string | undefined;
  if (options.topics.length > MAX_TOPIC_ARGS) {
    tempDir = mkdtempSync(path.join(os.tmpdir(), 'kafka-dev-broker-'));
    const file = path.join(tempDir, 'topics.txt');
    writeFileSync(file, options.topics.map((t) => `${t.name}:${t.partitions}\n`).join(''));
    args.push('--topics-file', file);
  } else {
    for (const t of options.topics) args.push('--topic', `${t.name}:${t.partitions}`);
  }

  // stdin is /dev/null; stdout carries the two ready lines; stderr is
  // always captured so a failed start can say why.
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderrTail = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (options.stdio === 'inherit') process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk).slice(-STDERR_KEEP_CHARS);
  });

  let exited = false;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    // 'exit' never follows a failed spawn.
    child.once('error', () => {
      if (child.pid === undefined) {
        exited = true;
        resolve();
      }
    });
  });

  // Never leave a broker behind if this process exits without stop().
  const killOnExit = (): void => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  try {
    const ready = await waitForReady(child, binary, () => stderrTail);
    // The broker must not keep the event loop alive on its own; killOnExit
    // covers the case where nobody calls stop().
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as net.Socket | null)?.unref();

    let stopping: Promise<void> | undefined;
    const broker: DevBroker = {
      bootstrap: ready.bootstrap,
      controlPort: ready.controlPort,
      pid: child.pid!,
      control: (command: string) => sendControl(ready.controlPort, command),
      stop: () => {
        stopping ??= (async () => {
          if (!exited) {
            child.kill('SIGTERM');
            const timer = setTimeout(() => {
              if (!exited) child.kill('SIGKILL');
            }, STOP_TIMEOUT_MS);
            await exitPromise;
            clearTimeout(timer);
          }
          process.removeListener('exit', killOnExit);
        })();
        return stopping;
      },
    };
    // The mock answers a follower's SyncGroup before the leader's assignment exists
    // unless responses are slightly delayed; kafkajs then stops that consumer for good.
    await broker.control('rtt -1 10');
    return broker;
  } catch (err) {
    if (!exited) child.kill('SIGKILL');
    await exitPromise;
    process.removeListener('exit', killOnExit);
    throw err;
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

function waitForReady(
  child: ChildProcess,
  binary: string,
  stderr: () => string,
): Promise<{ bootstrap: string; controlPort: number }> {
  return new Promise((resolve, reject) => {
    let bootstrap: string | undefined;
    let controlPort: number | undefined;
    let pending = '';
    let done = false;

    const describe = (what: string): Error => {
      const tail = stderr().trim();
      return new Error(`kafka-dev-broker (${binary}) ${what}` + (tail ? `\n--- stderr ---\n${tail}` : ''));
    };
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout!.removeListener('data', onData);
      child.removeListener('exit', onExit);
      child.removeListener('error', onError);
      // Keep draining stdout so the broker never blocks writing to it.
      child.stdout!.resume();
      if (err) reject(err);
      else resolve({ bootstrap: bootstrap!, controlPort: controlPort! });
    };
    const onData = (chunk: string): void => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl).trim();
        pending = pending.slice(nl + 1);
        if (line.startsWith('BOOTSTRAP=')) bootstrap = line.slice('BOOTSTRAP='.length);
        else if (line.startsWith('CONTROL=')) controlPort = Number(line.slice('CONTROL='.length));
      }
      if (bootstrap !== undefined && controlPort !== undefined) {
        if (!bootstrap || !Number.isInteger(controlPort) || controlPort <= 0) {
          finish(describe(`printed an unusable ready banner: BOOTSTRAP=${bootstrap} CONTROL=${controlPort}`));
        } else {
          finish();
        }
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      // Let the last stderr chunk arrive before reporting.
      setImmediate(() =>
        finish(
          describe(`exited before becoming ready (${signal ? `signal ${signal}` : `exit code ${code}`})`),
        ),
      );
    };
    const onError = (err: NodeJS.ErrnoException): void => {
      const hint = err.code === 'ENOENT' ? ' - build it with tools/kafka-dev-broker/build.sh' : '';
      finish(describe(`could not be started: ${err.message}${hint}`));
    };
    const timer = setTimeout(
      () => finish(describe(`did not report ready within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );

    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function sendControl(port: number, command: string): Promise<string> {
  if (/[\r\n]/.test(command)) {
    return Promise.reject(new Error('kafka-dev-broker control: command must be a single line'));
  }
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    let buffer = '';
    let settled = false;
    const settle = (err: Error | undefined, reply?: string): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (err) reject(err);
      else resolve(reply!);
    };

    socket.setEncoding('utf8');
    socket.setTimeout(CONTROL_TIMEOUT_MS, () =>
      settle(new Error(`kafka-dev-broker control "${command}": no reply within ${CONTROL_TIMEOUT_MS} ms`)),
    );
    socket.on('connect', () => socket.write(`${command}\n`));
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      const reply = buffer.slice(0, nl).trim();
      if (reply === 'OK' || reply.startsWith('OK ')) settle(undefined, reply);
      else settle(new Error(`kafka-dev-broker control "${command}": ${reply}`));
    });
    socket.on('error', (err) => settle(new Error(`kafka-dev-broker control "${command}": ${err.message}`)));
    socket.on('close', () =>
      settle(new Error(`kafka-dev-broker control "${command}": connection closed without a reply`)),
    );
  });
}
