/**
 * What of an unexpected error may be written to the log. A database error carries the statement's
 * parameters (a password hash, data values) and its message and detail may quote them ("invalid
 * input syntax for type integer: …", "Key (code)=(…) already exists"): only its SQLSTATE, the kind
 * of statement, the table and constraint are kept. Other errors keep their type, message and stack.
 */
export function loggableFailure(err: unknown): Record<string, unknown> {
  if (err && typeof err === 'object' && typeof (err as { severity?: unknown }).severity === 'string' && typeof (err as { code?: unknown }).code === 'string') {
    const e = err as { code: string; query?: unknown; table?: unknown; constraint?: unknown; routine?: unknown };
    return {
      type: 'DatabaseError',
      sqlState: e.code,
      ...(typeof e.query === 'string' ? { statement: statementName(e.query) } : {}),
      ...(typeof e.table === 'string' ? { table: e.table } : {}),
      ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
      ...(typeof e.routine === 'string' ? { routine: e.routine } : {}),
    };
  }
  if (err instanceof Error) return { type: err.name, message: err.message, stack: err.stack };
  return { type: typeof err };
}

/** The first words of a statement, up to its first value or parameter: "INSERT INTO users". */
export function statementName(sql: string): string {
  const words: string[] = [];
  for (const w of sql.trim().split(/\s+/)) {
    if (words.length === 4 || /[$'"(0-9]/.test(w)) break;
    words.push(w);
  }
  return words.join(' ');
}
