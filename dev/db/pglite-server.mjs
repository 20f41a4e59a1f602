// Serves an embedded PGlite database to any Postgres client over the wire protocol.
//
// PGlite is a single session. pglite-socket's multiplexer only keeps a client's *explicit* transaction
// together; between the Parse/Bind/Execute/Sync messages of one extended-protocol query another client's
// messages may slip in and overwrite the unnamed statement. So this server hands the whole session to one
// client at a time: a client owns it from its first message until PGlite reports ReadyForQuery "idle" and
// the client has nothing more buffered. Concurrency becomes a queue, which is what a single session is.
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const READY_FOR_QUERY = 0x5a; // 'Z'
const TERMINATE = 0x58; // 'X'
const IDLE = 0x49; // 'I'
const SYNC_MESSAGE = new Uint8Array([0x53, 0, 0, 0, 4]);

class SessionLock {
  #owner = null;
  #waiters = [];

  get owner() {
    return this.#owner;
  }

  async acquire(connection) {
    if (this.#owner === connection) return;
    if (this.#owner === null) {
      this.#owner = connection;
      return;
    }
    await new Promise((resolve) => this.#waiters.push({ connection, resolve }));
  }

  release(connection) {
    if (this.#owner !== connection) return;
    const next = this.#waiters.shift();
    this.#owner = next ? next.connection : null;
    next?.resolve();
  }

  forget(connection) {
    this.#waiters = this.#waiters.filter((w) => w.connection !== connection);
  }
}

class Connection {
  #buffer = Buffer.alloc(0);
  #startedUp = false;
  #processing = false;
  #closed = false;
  #lastStatus = IDLE;

  constructor(socket, db, lock, onClose) {
    this.socket = socket;
    this.db = db;
    this.lock = lock;
    this.onClose = onClose;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#drain();
    });
    socket.on('error', () => this.#close());
    socket.on('close', () => this.#close());
  }

  #nextMessage() {
    const buf = this.#buffer;
    if (!this.#startedUp) {
      if (buf.length < 8) return null;
      const length = buf.readInt32BE(0);
      if (buf.length < length) return null;
      return { kind: 'startup', code: buf.readInt32BE(4), bytes: buf.subarray(0, length) };
    }
    if (buf.length < 5) return null;
    const length = 1 + buf.readInt32BE(1);
    if (buf.length < length) return null;
    return { kind: 'message', type: buf[0], bytes: buf.subarray(0, length) };
  }

  async #drain() {
    if (this.#processing) return;
    this.#processing = true;
    try {
      for (;;) {
        if (this.#closed) return;
        const message = this.#nextMessage();
        if (!message) break;
        this.#buffer = this.#buffer.subarray(message.bytes.length);
        if (message.kind === 'startup') {
          if (message.code === SSL_REQUEST || message.code === GSSENC_REQUEST) {
            this.socket.write('N');
            continue;
          }
          if (message.code === CANCEL_REQUEST) {
            this.socket.end();
            return;
          }
          this.#startedUp = true;
        } else if (message.type === TERMINATE) {
          this.socket.end();
          return;
        }
        await this.lock.acquire(this);
        if (this.#closed) return this.lock.release(this);
        await this.#execute(new Uint8Array(message.bytes));
        if (this.#lastStatus === IDLE && this.#nextMessage() === null) this.lock.release(this);
      }
    } catch (error) {
      console.error(`[db] connection error: ${error?.message ?? error}`);
      this.socket.destroy();
    } finally {
      this.#processing = false;
    }
  }

  async #execute(message) {
    // Until PGlite answers ReadyForQuery, the session is mid-query (e.g. after Parse, before Sync).
    this.#lastStatus = null;
    let tail = new Uint8Array(0);
    await this.db.execProtocolRawStream(message, {
      onRawData: (chunk) => {
        if (chunk.length === 0) return;
        // a copy: the chunk may be a view of PGlite's memory, reused before the socket has written it
        if (!this.#closed && this.socket.writable) this.socket.write(Buffer.from(chunk));
        tail = chunk.length >= 6 ? chunk.slice(chunk.length - 6) : Uint8Array.from([...tail, ...chunk]).slice(-6);
      },
    });
    if (tail.length === 6 && tail[0] === READY_FOR_QUERY && tail[4] === 5) this.#lastStatus = tail[5];
  }

  async #close() {
    if (this.#closed) return;
    this.#closed = true;
    this.lock.forget(this);
    if (this.lock.owner === this) {
      // The client left holding the session (mid-query or mid-transaction): give the next one a clean slate.
      try {
        await this.db.execProtocolRaw(SYNC_MESSAGE);
        await this.db.exec('rollback; reset all;');
      } catch (error) {
        console.error(`[db] cleanup after disconnect failed: ${error?.message ?? error}`);
      }
      this.lock.release(this);
    }
    this.onClose(this);
  }
}

/**
 * PGlite has no autovacuum, so planner statistics never change by themselves, and a plan cached while a table was
 * small (a foreign-key check's, say) keeps scanning it sequentially as it grows: a 10,000-meeting import slowed
 * down page after page. Like autovacuum's analyze, every `intervalMs` (between two clients' turns) the tables
 * changed by more than 50 rows + 10% since their last analyze are analyzed; that also invalidates the stale plans.
 */
function startAutoAnalyze(db, lock, intervalMs) {
  if (!(intervalMs > 0)) return () => {};
  const owner = { name: 'autoanalyze' };
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true; // queue behind the client that holds the session, like any other client
    await lock.acquire(owner);
    try {
      await db.query('select pg_stat_force_next_flush()');
      const { rows } = await db.query(`
        select format('%I.%I', schemaname, relname) as name from pg_stat_user_tables
         where n_mod_since_analyze > 50 + 0.1 * greatest(n_live_tup, 0)`);
      if (rows.length > 0) await db.exec(`analyze ${rows.map((r) => r.name).join(', ')}`);
    } catch (error) {
      console.error(`[db] autoanalyze failed: ${error?.message ?? error}`);
    } finally {
      lock.release(owner);
      running = false;
    }
  }, intervalMs);
  timer.unref?.();
  return () => clearInterval(timer);
}

export async function startPgliteServer({ dataDir, host = '127.0.0.1', port, autoAnalyzeMs = Number(process.env.PGLITE_AUTOANALYZE_MS ?? 5000) }) {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const lock = new SessionLock();
  const stopAutoAnalyze = startAutoAnalyze(db, lock, autoAnalyzeMs);
  const connections = new Set();
  const server = net.createServer((socket) => {
    connections.add(new Connection(socket, db, lock, (c) => connections.delete(c)));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return {
    port: address.port,
    url: `postgres://postgres:postgres@${host}:${address.port}/postgres`,
    async stop() {
      stopAutoAnalyze();
      for (const c of connections) c.socket.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
