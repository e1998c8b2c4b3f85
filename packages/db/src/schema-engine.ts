// Loads Prisma's WASM schema engine without the native binary the Prisma CLI would download
// (impossible offline and on air-gapped plant networks). See docs/data-model.md "Migrations".
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineGlue from '@prisma/schema-engine-wasm/schema_engine_bg';
import pg from 'pg';

export type SchemaEngine = engineGlue.SchemaEngine;

// Node has WebAssembly but @types/node does not declare it (it lives in TypeScript's DOM lib, which
// server code should not pull in); this is the slice used here.
type WasmExports = Record<string, unknown>;
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: WasmExports } }>;
};

let initialised: Promise<void> | undefined;

/**
 * The engine arms timers (timeouts it races queries against) that outlive its work and would keep a
 * CLI process alive ~10 s after it finished. Its setTimeout imports are wrapped to unref them.
 */
function withUnrefTimers(glue: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(glue).map(([name, value]) => {
      if (!name.startsWith('__wbg_setTimeout_') || typeof value !== 'function') return [name, value];
      const wrapped = (...args: unknown[]): unknown => {
        const timer = (value as (...a: unknown[]) => unknown)(...args);
        if (typeof timer === 'object' && timer !== null && 'unref' in timer) (timer as NodeJS.Timeout).unref();
        return timer;
      };
      return [name, wrapped];
    }),
  );
}

/** Instantiates the engine's WebAssembly module once per process (no --experimental-wasm-modules needed). */
function initialiseWasm(): Promise<void> {
  initialised ??= (async () => {
    const packageDir = path.dirname(fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm')));
    const bytes = await readFile(path.join(packageDir, 'schema_engine_bg.wasm'));
    // The glue module is the wasm module's only import namespace, named after the file wasm-bindgen wrote.
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': withUnrefTimers(engineGlue) });
    const glue = engineGlue as unknown as { __wbg_set_wasm(exports: WasmExports): void };
    glue.__wbg_set_wasm(instance.exports);
    const start = instance.exports.__wbindgen_start;
    if (typeof start === 'function') start();
  })();
  return initialised;
}

/**
 * adapter-pg runs a migration script by splitting it on every ';', which breaks function bodies and
 * string literals. This factory sends the whole script as one simple-protocol query instead, as the
 * native engine does; PostgreSQL then runs it as one implicit transaction (all or nothing).
 */
class WholeScriptPrismaPg extends PrismaPg {
  readonly #pool: pg.Pool;
  #isEnded = false;

  constructor(connectionString: string) {
    const pool = new pg.Pool({ connectionString, max: 2 });
    super(pool);
    this.#pool = pool;
  }

  /** Ends the pool; the adapter does not, since the pool was handed to it from outside. */
  async end(): Promise<void> {
    if (!this.#isEnded) {
      this.#isEnded = true;
      await this.#pool.end();
    }
  }

  override async connect(): ReturnType<PrismaPg['connect']> {
    const adapter = await super.connect();
    adapter.executeScript = async (script: string): Promise<void> => {
      await this.#pool.query(script);
    };
    return adapter;
  }
}

export type OpenSchemaEngine = { engine: SchemaEngine; close(): Promise<void> };

/**
 * Opens a schema engine bound to a PostgreSQL database; `close()` frees it and ends its connections
 * (an open pool would keep a CLI process alive until its idle timeout).
 */
export async function openSchemaEngine(connectionString: string, schemaText: string): Promise<OpenSchemaEngine> {
  await initialiseWasm();
  const factory = new WholeScriptPrismaPg(connectionString);
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const ignoreEngineLog = (): void => {};
  const engine = await engineGlue.SchemaEngine.new(
    { datamodels: [['schema.prisma', schemaText]] },
    ignoreEngineLog,
    adapter,
  );
  return {
    engine,
    async close() {
      engine.free();
      await factory.end();
    },
  };
}
