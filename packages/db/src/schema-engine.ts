// Loads Prisma's WASM schema engine without the native binary the Prisma CLI would download
// (impossible offline and on air-gapped plant networks). See DESIGN.md "Migrations".
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

/** Instantiates the engine's WebAssembly module once per process (no --experimental-wasm-modules needed). */
function initialiseWasm(): Promise<void> {
  initialised ??= (async () => {
    const packageDir = path.dirname(fileURLToPath(import.meta.resolve('@prisma/schema-engine-wasm')));
    const bytes = await readFile(path.join(packageDir, 'schema_engine_bg.wasm'));
    // The glue module is the wasm module's only import namespace, named after the file wasm-bindgen wrote.
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': engineGlue });
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

  constructor(connectionString: string) {
    const pool = new pg.Pool({ connectionString, max: 2 });
    super(pool, { disposeExternalPool: true });
    this.#pool = pool;
  }

  override async connect(): ReturnType<PrismaPg['connect']> {
    const adapter = await super.connect();
    adapter.executeScript = async (script: string): Promise<void> => {
      await this.#pool.query(script);
    };
    return adapter;
  }
}

/**
 * Opens a schema engine bound to a PostgreSQL database. Diffing schema texts never touches the
 * database, so `connectionString` may name a server that is not running for that use.
 */
export async function openSchemaEngine(connectionString: string, schemaText: string): Promise<SchemaEngine> {
  await initialiseWasm();
  const adapter = bindMigrationAwareSqlAdapterFactory(new WholeScriptPrismaPg(connectionString));
  const ignoreEngineLog = (): void => {};
  return engineGlue.SchemaEngine.new({ datamodels: [['schema.prisma', schemaText]] }, ignoreEngineLog, adapter);
}
