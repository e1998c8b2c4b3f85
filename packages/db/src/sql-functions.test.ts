// SQL functions as source files: the repo's files equal their newest definitions in prisma/migrations, and the
// reading, comparing and appending that `npm run db:migration` does. No database needed.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFunctionDrift } from './migrations.ts';
import { REPO_ROOT, SQL_FUNCTION_DIRS } from './paths.ts';
import {
  describeFunctionDrift,
  functionDrift,
  functionMigrationSql,
  liveFunctions,
  parseFunctionFile,
  readFunctionFiles,
  splitSqlStatements,
  type TSqlFunctionFile,
} from './sql-functions.ts';

describe("the repo's SQL function files", () => {
  it('each equal the newest definition in prisma/migrations (else: npm run db:migration -- <name>)', async () => {
    const drift = await readFunctionDrift();
    expect(drift.map(describeFunctionDrift), drift.map(describeFunctionDrift).join('\n')).toEqual([]);
  });

  it('include the KPI functions and the audit-log trigger function', async () => {
    const names = (await readFunctionFiles(SQL_FUNCTION_DIRS)).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['audit_log_append_only', 'kpi_cell_components', 'kpi_epoch_ms']));
  });
});

describe('splitSqlStatements', () => {
  it('splits at top-level semicolons, not inside quotes, bodies or comments, and drops comments between', () => {
    const sql = [
      '-- a comment; not a statement',
      "INSERT INTO t VALUES ('a;b', E'c\\';d', \"odd;name\");",
      '/* block /* nested; */ still; */',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;',
      'CREATE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN $x$;$x$; END $$;',
      'SELECT $1',
    ].join('\n');
    expect(splitSqlStatements(sql)).toEqual([
      "INSERT INTO t VALUES ('a;b', E'c\\';d', \"odd;name\");",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;',
      'CREATE FUNCTION g() RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN $x$;$x$; END $$;',
      'SELECT $1',
    ]);
  });

  it('rejects unterminated quotes and comments', () => {
    expect(() => splitSqlStatements('CREATE FUNCTION f() AS $$ SELECT 1;')).toThrow(/Unterminated \$\$ quote/);
    expect(() => splitSqlStatements("SELECT 'open;")).toThrow(/Unterminated ' quote/);
    expect(() => splitSqlStatements('/* open')).toThrow(/Unterminated \/\* comment/);
  });
});

describe('liveFunctions', () => {
  it('keeps the newest definition of each function, with the migration that issued it', () => {
    const live = liveFunctions([
      { name: '1_init', sql: 'CREATE TABLE t (id int);\nCREATE FUNCTION "f"() RETURNS int LANGUAGE sql RETURN 1;' },
      {
        name: '2_more',
        sql: 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql RETURN 2;\nCREATE FUNCTION G() RETURNS int LANGUAGE sql RETURN 3;',
      },
      { name: '3_other', sql: 'ALTER TABLE t ADD COLUMN x int;' },
    ]);
    expect([...live.values()]).toEqual([
      {
        name: 'f',
        migration: '2_more',
        definition: 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql RETURN 2;',
      },
      { name: 'g', migration: '2_more', definition: 'CREATE FUNCTION G() RETURNS int LANGUAGE sql RETURN 3;' },
    ]);
  });

  it('forgets dropped functions, with or without arguments, schema, IF EXISTS and CASCADE', () => {
    const create = (name: string) => `CREATE FUNCTION public.${name}(a int, b text) RETURNS int LANGUAGE sql RETURN a;`;
    const live = liveFunctions([
      { name: '1', sql: ['a', 'b', 'c', 'd'].map(create).join('\n') },
      { name: '2', sql: 'DROP FUNCTION a(int, text);\nDROP FUNCTION IF EXISTS public."b", c(integer, text) CASCADE;' },
    ]);
    expect([...live.keys()]).toEqual(['d']);
  });

  it('refuses a BEGIN ATOMIC body, whose statements it cannot split', () => {
    const sql = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;';
    expect(() => liveFunctions([{ name: '1', sql }])).toThrow(/f: write its body as AS \$\$/);
  });
});

const SQL_DIR = path.join(REPO_ROOT, 'packages/kpi-sql/sql');

function functionFile(name: string, definition: string, header = `-- ${name}: a test function.`): TSqlFunctionFile {
  return parseFunctionFile(path.join(SQL_DIR, `${name}.sql`), `${header}\n${definition}\n`);
}

describe('parseFunctionFile', () => {
  it('reads the header comment and the one CREATE OR REPLACE FUNCTION named like the file', () => {
    const text = '-- f: one.\nCREATE OR REPLACE FUNCTION "f"() RETURNS int LANGUAGE sql RETURN 1;\n';
    expect(parseFunctionFile(path.join(SQL_DIR, 'f.sql'), text)).toEqual({
      name: 'f',
      file: path.join(SQL_DIR, 'f.sql'),
      text,
      definition: 'CREATE OR REPLACE FUNCTION "f"() RETURNS int LANGUAGE sql RETURN 1;',
    });
  });

  it.each([
    ['another name', 'f.sql', 'CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql RETURN 1;', /one statement/],
    ['two statements', 'f.sql', 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1; SELECT 1;', /one/],
    [
      'no final semicolon',
      'f.sql',
      'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1',
      /one statement/,
    ],
    ['no function', 'f.sql', '-- only a comment', /one statement/],
    ['CREATE without OR REPLACE', 'f.sql', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;', /OR REPLACE/],
    [
      'a bad file name',
      'My-F.sql',
      'CREATE OR REPLACE FUNCTION "My-F"() RETURNS int LANGUAGE sql RETURN 1;',
      /name it/,
    ],
  ])('rejects %s', (_case, fileName, text, message) => {
    expect(() => parseFunctionFile(path.join(SQL_DIR, fileName), text)).toThrow(message);
  });
});

describe('readFunctionFiles', () => {
  it('reads the .sql files of every folder (a missing folder has none) and rejects a function with two files', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'takt-sql-functions-'));
    const [one, two] = [path.join(root, 'one'), path.join(root, 'two')];
    await mkdir(one);
    await mkdir(two);
    await writeFile(path.join(one, 'f.sql'), 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;\n');
    await writeFile(path.join(one, 'README.md'), '# not SQL\n');
    await writeFile(path.join(two, 'g.sql'), 'CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql RETURN 2;\n');
    const files = await readFunctionFiles([one, two, path.join(root, 'missing')]);
    expect(files.map((f) => f.name)).toEqual(['f', 'g']);

    await writeFile(path.join(two, 'f.sql'), 'CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1;\n');
    await expect(readFunctionFiles([one, two])).rejects.toThrow(/Function f has two files/);
  });
});

describe('functionDrift', () => {
  const migrationF = {
    name: '1_init',
    sql: 'CREATE FUNCTION "f"(a int) RETURNS int\n    LANGUAGE sql\n    RETURN a + 1;',
  };

  it('finds none when the file re-issues the definition as CREATE OR REPLACE, with any line ends', () => {
    const file = functionFile(
      'f',
      'CREATE OR REPLACE FUNCTION "f"(a int) RETURNS int\r\n    LANGUAGE sql\r\n    RETURN a + 1;',
    );
    expect(functionDrift([file], liveFunctions([migrationF]))).toEqual([]);
  });

  it.each([
    ['a changed body', 'CREATE OR REPLACE FUNCTION "f"(a int) RETURNS int\n    LANGUAGE sql\n    RETURN a + 2;'],
    ['changed spacing', 'CREATE OR REPLACE FUNCTION "f"(a int) RETURNS int\n    LANGUAGE sql\n    RETURN a  + 1;'],
    [
      'a comment added inside',
      'CREATE OR REPLACE FUNCTION "f"(a int) RETURNS int\n    LANGUAGE sql -- why\n    RETURN a + 1;',
    ],
  ])('reports %s, naming the function, its migration and the fix', (_case, definition) => {
    const drift = functionDrift([functionFile('f', definition)], liveFunctions([migrationF]));
    expect(drift.map((d) => d.kind)).toEqual(['changed']);
    expect(describeFunctionDrift(drift[0]!)).toBe(
      'f: packages/kpi-sql/sql/f.sql differs from its definition in prisma/migrations/1_init/migration.sql; ' +
        'run `npm run db:migration -- <name>` to append it to a new migration',
    );
  });

  it('reports a function with no file and a file in no migration', () => {
    const file = functionFile('g', 'CREATE OR REPLACE FUNCTION g() RETURNS int LANGUAGE sql RETURN 1;');
    const drift = functionDrift([file], liveFunctions([migrationF]));
    expect(drift.map((d) => d.kind)).toEqual(['no-file', 'not-in-migrations']);
    expect(describeFunctionDrift(drift[0]!)).toMatch(
      /^f: defined in prisma\/migrations\/1_init\/migration.sql but has no file; add packages\/kpi-sql\/sql\/f.sql/,
    );
    expect(describeFunctionDrift(drift[1]!)).toMatch(
      /^g: packages\/kpi-sql\/sql\/g.sql is in no migration; run `npm run db:migration -- <name>`/,
    );
  });
});

describe('functionMigrationSql', () => {
  it('is empty without drift', () => {
    expect(functionMigrationSql([])).toBe('');
  });

  it('appends each changed or new file, after the functions it calls; the result leaves no drift', () => {
    const migrations = [
      {
        name: '1_init',
        sql: 'CREATE FUNCTION keep() RETURNS int LANGUAGE sql RETURN 0;\nCREATE FUNCTION orphan() RETURNS int LANGUAGE sql RETURN 0;',
      },
    ];
    const files = [
      functionFile('a_caller', 'CREATE OR REPLACE FUNCTION a_caller() RETURNS int LANGUAGE sql RETURN z_base() + 1;'),
      functionFile('keep', 'CREATE OR REPLACE FUNCTION keep() RETURNS int LANGUAGE sql RETURN 1;', '-- keep: now 1.'),
      functionFile('z_base', 'CREATE OR REPLACE FUNCTION z_base() RETURNS int LANGUAGE sql RETURN 41;'),
    ];
    const sql = functionMigrationSql(functionDrift(files, liveFunctions(migrations)));
    expect(sql).toBe(
      [
        '-- packages/kpi-sql/sql/keep.sql',
        '-- keep: now 1.',
        'CREATE OR REPLACE FUNCTION keep() RETURNS int LANGUAGE sql RETURN 1;',
        '',
        '-- packages/kpi-sql/sql/z_base.sql',
        '-- z_base: a test function.',
        'CREATE OR REPLACE FUNCTION z_base() RETURNS int LANGUAGE sql RETURN 41;',
        '',
        '-- packages/kpi-sql/sql/a_caller.sql',
        '-- a_caller: a test function.',
        'CREATE OR REPLACE FUNCTION a_caller() RETURNS int LANGUAGE sql RETURN z_base() + 1;',
        '',
      ].join('\n'),
    );
    const after = functionDrift(files, liveFunctions([...migrations, { name: '2_functions', sql }]));
    expect(after.map((d) => d.kind)).toEqual(['no-file']); // orphan(): dropping is written by hand
  });
});
