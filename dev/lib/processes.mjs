// Child processes of the local stack: spawned with a name prefix on their output, stopped together.
import { spawn } from 'node:child_process';
import net from 'node:net';

export class PortInUseError extends Error {}

/** Fails with a one-line message naming the port and the variable that moves it. */
export async function assertPortFree(port, variable, host = '127.0.0.1') {
  await new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(`Port ${port} is in use: set ${variable} to another port.`) : error),
    );
    probe.listen(port, host, () => probe.close(resolve));
  });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function definedOnly(env) {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== null));
}

export class ProcessGroup {
  children = [];
  stopping = false;

  constructor({ quiet = false, onUnexpectedExit = () => {} } = {}) {
    this.quiet = quiet;
    this.onUnexpectedExit = onUnexpectedExit;
  }

  start(name, command, args, { env = {}, cwd, readyWhen } = {}) {
    const child = spawn(command, args, {
      cwd,
      env: definedOnly({ ...process.env, ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    });
    this.children.push({ name, child });
    let output = '';
    const ready = new Promise((resolve, reject) => {
      const onLine = (line) => {
        if (!this.quiet) console.log(`[${name}] ${line}`);
        if (readyWhen && readyWhen.test(line)) resolve();
      };
      for (const stream of [child.stdout, child.stderr]) {
        let partial = '';
        stream.on('data', (chunk) => {
          const text = partial + chunk.toString();
          output = (output + chunk.toString()).slice(-4000);
          const lines = text.split('\n');
          partial = lines.pop();
          lines.forEach(onLine);
        });
      }
      child.once('exit', (code, signal) => {
        if (!this.stopping) {
          const message = `${name} exited (${signal ?? code})`;
          if (this.quiet) console.error(output);
          this.onUnexpectedExit(message);
          reject(new Error(message));
        }
      });
      if (!readyWhen) resolve();
    });
    return { child, ready };
  }

  async stopAll() {
    this.stopping = true;
    await Promise.all(
      this.children.map(
        ({ child }) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 4000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  }
}
