// The embedded database of `npm start` when no DATABASE_URL is set (DESIGN.md "Embedded defaults"):
// PGlite keeps its files under ./data/, and a loopback socket server speaks the PostgreSQL wire
// protocol so that the app uses the same adapter-pg path as against a real server.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export type EmbeddedPostgres = {
  url: string;
  port: number;
  stop(): Promise<void>;
};

export type EmbeddedPostgresOptions = {
  /** Where PGlite keeps its files; undefined keeps the database in memory. */
  dataDir?: string;
  port: number;
  /** Connections the socket multiplexes onto PGlite's single session. */
  maxConnections?: number;
};

/** Starts PGlite (on `dataDir`, or in memory) behind a loopback PostgreSQL socket; `port` 0 lets the OS choose. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: options.port,
    maxConnections: options.maxConnections ?? 32,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const port = Number(server.getServerConn().split(':').pop());
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
