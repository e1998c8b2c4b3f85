// Keyset pages (README "HTTP API": `limit` + `cursor`): a list reads one row more than its limit; that row tells
// whether there is a next page, and the sort key of the last row shown is the cursor that continues after it.

export type Page<T> = { items: T[]; nextCursor: string | null };

/** The first `limit` of `rows` as DTOs, with the cursor after the last of them when more rows were read. */
export function toPage<TRow, TDto>(
  rows: readonly TRow[],
  limit: number,
  toDto: (row: TRow) => TDto,
  cursorAfter: (row: TRow) => string,
): Page<TDto> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { items: shown.map(toDto), nextCursor: rows.length > limit && last !== undefined ? cursorAfter(last) : null };
}
