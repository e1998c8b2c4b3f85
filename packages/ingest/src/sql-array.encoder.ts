// PostgreSQL array literals (`{a,b,NULL}`) for the batch writer's bind parameters. A batch passes tens of
// thousands of values per column; handing the driver one string per column instead of a JavaScript array
// skips its per-element escaping and Prisma's per-element parameter checks, which cost more CPU than
// PostgreSQL spends parsing the literal. Values stay bind parameters: nothing is spliced into SQL text.

/** `{1,2,NULL}`: numbers and booleans, which never need quoting. */
export function encodePlainArray(values: readonly (number | boolean | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) literal += ',';
    literal += value === null || value === undefined ? 'NULL' : String(value);
  }
  return `${literal}}`;
}

const NEEDS_ESCAPE = /["\\]/g;

/** `{"a","b\"c",NULL}` for any text (uuids too): every element quoted, `"` and `\` escaped. */
export function encodeTextArray(values: readonly (string | null)[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (index > 0) literal += ',';
    if (value === null || value === undefined) literal += 'NULL';
    else literal += `"${value.includes('"') || value.includes('\\') ? value.replace(NEEDS_ESCAPE, '\\$&') : value}"`;
  }
  return `${literal}}`;
}
