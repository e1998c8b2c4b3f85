// Hand-written SQL functions kept as source files: one `<function_name>.sql` per function, holding its live
// `CREATE OR REPLACE FUNCTION` (see packages/kpi-sql/README.md, "SQL sources"). Migrations stay the history that
// deployed databases applied; the newest migration that defines a function must define it exactly as its file
// does. This module reads both sides, tells where they differ, and writes the SQL that brings a new migration
// up to date with the files.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './paths.ts';

/** A function's defining statement (`CREATE [OR REPLACE] FUNCTION … ;`), as found in a migration or a file. */
export type TSqlFunction = { name: string; definition: string };

/** A function's source file: `text` is the whole file (header comment and definition). */
export type TSqlFunctionFile = TSqlFunction & { file: string; text: string };

/** The definition a migration issued; `migration` is the migration's directory name. */
export type TMigrationFunction = TSqlFunction & { migration: string };

/** A migration's directory name and the text of its migration.sql. */
export type TMigrationSql = { name: string; sql: string };

/** Where a function's file and the migrations disagree. */
export type TFunctionDrift =
  | { kind: 'changed'; file: TSqlFunctionFile; live: TMigrationFunction }
  | { kind: 'not-in-migrations'; file: TSqlFunctionFile }
  | { kind: 'no-file'; live: TMigrationFunction };

const IDENTIFIER = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const CREATE_FUNCTION = new RegExp(
  String.raw`^CREATE\s+(OR\s+REPLACE\s+)?FUNCTION\s+(?:${IDENTIFIER}\s*\.\s*)?(${IDENTIFIER})\s*\(`,
  'i',
);
const DROP_FUNCTION = /^DROP\s+FUNCTION\s+(?:IF\s+EXISTS\s+)?([\s\S]*?)(?:\s+(?:CASCADE|RESTRICT))?\s*;?$/i;
const FILE_NAME = /^[a-z_][a-z0-9_]*\.sql$/;

/**
 * Splits SQL text into statements at top-level `;`, skipping comments and whitespace between statements.
 * Quoted text is never split: '…' and E'…' strings, "…" identifiers, $tag$…$tag$ bodies, and comments.
 */
export function splitSqlStatements(sql: string): string[] {
  const statements: string[] = [];
  let start = -1; // where the current statement's first token starts; -1 between statements
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      i = blockCommentEnd(sql, i);
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (start === -1) start = i;
    if (c === ';') {
      statements.push(sql.slice(start, i + 1));
      start = -1;
      i++;
    } else if (c === "'") {
      const isEscapeString = /[Ee]/.test(sql[i - 1] ?? '') && !/[A-Za-z0-9_$]/.test(sql[i - 2] ?? '');
      i = quotedEnd(sql, i, "'", isEscapeString);
    } else if (c === '"') {
      i = quotedEnd(sql, i, '"', false);
    } else if (c === '$' && !/[A-Za-z0-9_$]/.test(sql[i - 1] ?? '')) {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0];
      if (tag === undefined) i++;
      else {
        const end = sql.indexOf(tag, i + tag.length);
        if (end === -1) throw new Error(`Unterminated ${tag} quote at: ${excerpt(sql, i)}`);
        i = end + tag.length;
      }
    } else i++;
  }
  if (start !== -1) statements.push(sql.slice(start).trimEnd());
  return statements;
}

/** Index after a /* comment *\/ starting at `from` (PostgreSQL nests them). */
function blockCommentEnd(sql: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  throw new Error(`Unterminated /* comment at: ${excerpt(sql, from)}`);
}

/** Index after the quoted text opened at `from`; a doubled quote (and, in E'…', a backslash) escapes. */
function quotedEnd(sql: string, from: number, quote: string, hasBackslashEscapes: boolean): number {
  let i = from + 1;
  while (i < sql.length) {
    if (hasBackslashEscapes && sql[i] === '\\') i += 2;
    else if (sql[i] === quote && sql[i + 1] === quote) i += 2;
    else if (sql[i] === quote) return i + 1;
    else i++;
  }
  throw new Error(`Unterminated ${quote} quote at: ${excerpt(sql, from)}`);
}

function excerpt(sql: string, at: number): string {
  return JSON.stringify(sql.slice(at, at + 60));
}

/** PostgreSQL's name for an identifier: quoted as written, unquoted folded to lower case. */
function identifierName(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replaceAll('""', '"') : identifier.toLowerCase();
}

/** The function a statement creates, or null when it creates none. */
function createdFunction(statement: string): TSqlFunction | null {
  const match = CREATE_FUNCTION.exec(statement);
  if (match === null) return null;
  const name = identifierName(match[2]!);
  // A SQL-standard body holds `;` outside any quote, so splitting at `;` would cut it.
  if (/\bBEGIN\s+ATOMIC\b/i.test(statement)) {
    throw new Error(`Function ${name}: write its body as AS $$ … $$ or RETURN …; BEGIN ATOMIC is not supported`);
  }
  return { name, definition: statement };
}

/** The functions a `DROP FUNCTION a(…), b` statement drops. */
function droppedFunctions(statement: string): string[] {
  const list = DROP_FUNCTION.exec(statement)?.[1];
  if (list === undefined) return [];
  let names = list;
  while (/\([^()]*\)/.test(names)) names = names.replace(/\([^()]*\)/g, '');
  return names.split(',').map((qualified) => {
    const parts = qualified.trim().split('.');
    return identifierName(parts[parts.length - 1]!.trim());
  });
}

/** The live definition of every function after applying `migrations` in order (later ones replace, drops remove). */
export function liveFunctions(migrations: readonly TMigrationSql[]): Map<string, TMigrationFunction> {
  const live = new Map<string, TMigrationFunction>();
  for (const migration of migrations) {
    for (const statement of splitSqlStatements(migration.sql)) {
      const created = createdFunction(statement);
      if (created !== null) live.set(created.name, { ...created, migration: migration.name });
      for (const name of droppedFunctions(statement)) live.delete(name);
    }
  }
  return live;
}

/** Reads a function's source file: comments and exactly one `CREATE OR REPLACE FUNCTION <file name>(…)`. */
export function parseFunctionFile(file: string, text: string): TSqlFunctionFile {
  if (!FILE_NAME.test(path.basename(file)))
    throw new Error(`${relative(file)}: name it <function_name>.sql (a-z, 0-9, _)`);
  const expected = path.basename(file, '.sql');
  const statements = splitSqlStatements(text);
  const created = statements.length === 1 ? createdFunction(statements[0]!) : null;
  if (created === null || created.name !== expected || !created.definition.endsWith(';')) {
    throw new Error(`${relative(file)} must hold one statement, CREATE OR REPLACE FUNCTION "${expected}"(…) … ;`);
  }
  if (CREATE_FUNCTION.exec(created.definition)?.[1] === undefined) {
    throw new Error(`${relative(file)}: write CREATE OR REPLACE FUNCTION, so that a migration can redefine it`);
  }
  return { ...created, file, text };
}

/** Every `<function_name>.sql` in `dirs`; throws on a malformed file or a function with two files. */
export async function readFunctionFiles(dirs: readonly string[]): Promise<TSqlFunctionFile[]> {
  const files: TSqlFunctionFile[] = [];
  for (const dir of dirs) {
    const names = (await readdir(dir).catch(() => [])).filter((name) => name.endsWith('.sql')).sort();
    for (const name of names) {
      const file = path.join(dir, name);
      const parsed = parseFunctionFile(file, await readFile(file, 'utf8'));
      const twin = files.find((f) => f.name === parsed.name);
      if (twin !== undefined)
        throw new Error(`Function ${parsed.name} has two files: ${relative(twin.file)}, ${relative(file)}`);
      files.push(parsed);
    }
  }
  return files;
}

/**
 * A definition as compared: line ends as LF and `CREATE FUNCTION` as `CREATE OR REPLACE FUNCTION` (the first
 * definition in a migration may be either). Everything else, whitespace and comments included, must match.
 */
function comparable(definition: string): string {
  return definition
    .replace(/\r\n?/g, '\n')
    .replace(/^CREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+/i, 'CREATE OR REPLACE FUNCTION ');
}

/** Every function whose file and newest migration definition differ, sorted by name. */
export function functionDrift(
  files: readonly TSqlFunctionFile[],
  live: ReadonlyMap<string, TMigrationFunction>,
): TFunctionDrift[] {
  const drift: TFunctionDrift[] = [];
  for (const file of files) {
    const defined = live.get(file.name);
    if (defined === undefined) drift.push({ kind: 'not-in-migrations', file });
    else if (comparable(defined.definition) !== comparable(file.definition)) {
      drift.push({ kind: 'changed', file, live: defined });
    }
  }
  for (const defined of live.values()) {
    if (!files.some((f) => f.name === defined.name)) drift.push({ kind: 'no-file', live: defined });
  }
  const nameOf = (d: TFunctionDrift) => (d.kind === 'no-file' ? d.live.name : d.file.name);
  return drift.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
}

/** One line per drift saying what differs and how to fix it. */
export function describeFunctionDrift(drift: TFunctionDrift): string {
  switch (drift.kind) {
    case 'changed':
      return (
        `${drift.file.name}: ${relative(drift.file.file)} differs from its definition in ` +
        `prisma/migrations/${drift.live.migration}/migration.sql; run \`npm run db:migration -- <name>\` to append it to a new migration`
      );
    case 'not-in-migrations':
      return (
        `${drift.file.name}: ${relative(drift.file.file)} is in no migration; ` +
        'run `npm run db:migration -- <name>` to append it to a new migration'
      );
    case 'no-file':
      return (
        `${drift.live.name}: defined in prisma/migrations/${drift.live.migration}/migration.sql but has no file; ` +
        `add packages/kpi-sql/sql/${drift.live.name}.sql (packages/db/sql/ if it is not about KPIs) with its ` +
        'CREATE OR REPLACE FUNCTION, or drop the function in a migration'
      );
  }
}

/**
 * The SQL that brings a migration up to date with the files: each changed or new function's file, in an order
 * where a function comes after the functions it names (a SQL-language body is checked when it is created).
 * '' when nothing changed. Functions without a file are left alone: dropping one is written by hand.
 */
export function functionMigrationSql(drift: readonly TFunctionDrift[]): string {
  const pending = drift
    .flatMap((d) => (d.kind === 'no-file' ? [] : [d.file]))
    .sort((a, b) => a.name.localeCompare(b.name));
  const ordered: TSqlFunctionFile[] = [];
  while (pending.length > 0) {
    const isReady = (f: TSqlFunctionFile) => !pending.some((other) => other !== f && names(f.definition, other.name));
    // A cycle (two PL/pgSQL functions calling each other) cannot be ordered, nor does it need to be.
    const next = pending.find(isReady) ?? pending[0]!;
    ordered.push(next);
    pending.splice(pending.indexOf(next), 1);
  }
  return ordered.map((f) => `-- ${relative(f.file)}\n${f.text.replace(/\r\n?/g, '\n').trim()}\n`).join('\n');
}

/** Whether `definition` mentions the function (names are those of files: a-z, 0-9, _). */
function names(definition: string, functionName: string): boolean {
  return new RegExp(String.raw`\b${functionName}\b`, 'i').test(definition);
}

function relative(file: string): string {
  return path.relative(REPO_ROOT, file).split(path.sep).join('/');
}
