// Delivery of the SPA and the API over real HTTP: fingerprinted assets as their brotli or gzip twin by
// Accept-Encoding with a year's immutable caching, index.html revalidated, a missing asset a 404 (not the shell),
// no source map served; API answers compressed, and an event stream never buffered by the compressor.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/test-app.ts';
import { apiCompression } from './compression.middleware.ts';

type TRawResponse = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** A GET whose body stays exactly as sent (no decompression), to check what went over the wire. */
function get(server: Server, pathname: string, headers: Record<string, string> = {}): Promise<TRawResponse> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;
const IMMUTABLE_YEAR = /max-age=31536000/;

let distDir: string;
let t: TestApp;
let server: Server;

beforeAll(async () => {
  distDir = mkdtempSync(path.join(tmpdir(), 'takt-dist-'));
  mkdirSync(path.join(distDir, 'assets'));
  writeFileSync(path.join(distDir, 'index.html'), '<!doctype html><title>Takt</title><div id="root"></div>');
  const asset = path.join(distDir, 'assets', 'index-Ab12Cd34.js');
  writeFileSync(asset, SCRIPT);
  writeFileSync(`${asset}.gz`, gzipSync(SCRIPT));
  writeFileSync(`${asset}.br`, brotliCompressSync(SCRIPT));
  // A map left behind by a development build must not be served either.
  writeFileSync(`${asset}.map`, '{"version":3}');
  t = await createTestApp('web_delivery', { app: { webDistDir: distDir } });
  server = await listen(t.app);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
  rmSync(distDir, { recursive: true, force: true });
});

describe('SPA assets', () => {
  it('sends the brotli twin to a browser that accepts it, cached for a year as immutable', async () => {
    const res = await get(server, '/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(?:text|application)\/javascript/);
    expect(res.headers['cache-control']).toMatch(IMMUTABLE_YEAR);
    expect(res.headers['cache-control']).toMatch(/immutable/);
    expect(res.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brotliDecompressSync(res.body).toString()).toBe(SCRIPT);
  });

  it('sends the gzip twin where brotli is not accepted, and the file itself where nothing is', async () => {
    const gzip = await get(server, '/assets/index-Ab12Cd34.js', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(SCRIPT);

    const plain = await get(server, '/assets/index-Ab12Cd34.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toMatch(IMMUTABLE_YEAR);
    expect(plain.body.toString()).toBe(SCRIPT);

    const identity = await get(server, '/assets/index-Ab12Cd34.js', { 'accept-encoding': 'identity' });
    expect(identity.headers['content-encoding']).toBeUndefined();
  });

  it('answers a missing asset with 404, not the SPA shell', async () => {
    for (const encoding of ['br', '']) {
      const res = await get(server, '/assets/nonexistent.js', encoding === '' ? {} : { 'accept-encoding': encoding });
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.toString()).not.toContain('<div id="root">');
    }
  });

  it('never serves a source map', async () => {
    expect((await get(server, '/assets/index-Ab12Cd34.js.map')).status).toBe(404);
    expect((await get(server, '/assets/index-Ab12Cd34.js.map', { 'accept-encoding': 'br' })).status).toBe(404);
  });

  it('answers client-side routes with index.html, revalidated on every load', async () => {
    const res = await get(server, '/work-orders?view=completed');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body.toString()).toContain('<div id="root">');
  });
});

describe('API compression', () => {
  it('compresses a large JSON answer with brotli or gzip as accepted', async () => {
    const brotli = await get(server, '/api/v1/openapi.json', { 'accept-encoding': 'br' });
    expect(brotli.status).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(brotli.body).toString())).toHaveProperty('openapi');

    const gzip = await get(server, '/api/v1/openapi.json', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString())).toHaveProperty('openapi');
  });

  it('sends a problem answer uncompressed to a client that accepts nothing', async () => {
    const res = await get(server, '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});

describe('event streams', () => {
  it('deliver each event at once, uncompressed, to a client that accepts gzip', async () => {
    let releaseSecond: () => void = () => undefined;
    const secondMayGo = new Promise<void>((resolve) => {
      releaseSecond = resolve;
    });
    const app = express();
    app.use(apiCompression());
    app.get('/stream', async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
      res.write(`data: ${'a'.repeat(2000)}\n\n`);
      // The second event is written only once the client has the first: a buffering compressor would hang here.
      await secondMayGo;
      res.end('data: two\n\n');
    });
    const streamServer = await listen(app);
    try {
      const { port } = streamServer.address() as AddressInfo;
      const received = await new Promise<{ headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/stream', headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
              if (text.includes('\n\n') && !text.includes('two')) releaseSecond();
            });
            res.on('end', () => resolve({ headers: res.headers, text }));
          })
          .on('error', reject);
      });
      expect(received.headers['content-encoding']).toBeUndefined();
      expect(received.text).toContain('data: two');
    } finally {
      await new Promise((resolve) => streamServer.close(resolve));
    }
  });
});
