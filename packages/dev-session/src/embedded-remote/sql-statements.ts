// Splits a migration file into statements, as `wrangler d1 migrations apply` does before it sends
// them: D1's exec() takes one statement per line, and a migration has comments, multi-line
// statements and triggers (whose BEGIN … END body holds semicolons of its own).

/** The statements of `sql`, without comments; empty ones dropped. */
export function sqlStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = "";
  let index = 0;
  // Inside CREATE TRIGGER … BEGIN, a semicolon ends a statement of the body, not the trigger.
  let triggerDepth = 0;
  const flush = () => {
    const statement = current.trim();
    if (statement !== "") statements.push(statement);
    current = "";
  };
  while (index < sql.length) {
    const char = sql[index]!;
    const next = sql[index + 1];
    if (char === "-" && next === "-") {
      const end = sql.indexOf("\n", index);
      index = end === -1 ? sql.length : end;
      continue;
    }
    if (char === "/" && next === "*") {
      const end = sql.indexOf("*/", index + 2);
      index = end === -1 ? sql.length : end + 2;
      current += " ";
      continue;
    }
    if (char === "'" || char === '"' || char === "`" || char === "[") {
      const close = char === "[" ? "]" : char;
      let end = index + 1;
      while (end < sql.length) {
        if (sql[end] === close) {
          // A doubled quote is an escaped quote, not the end.
          if (close !== "]" && sql[end + 1] === close) end += 2;
          else break;
        } else end++;
      }
      current += sql.slice(index, end + 1);
      index = end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(char) && !/[A-Za-z0-9_$]/.test(sql[index - 1] ?? "")) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(index))![0];
      const upper = word.toUpperCase();
      if (upper === "BEGIN" && /\bCREATE\s+(TEMP\s+|TEMPORARY\s+)?TRIGGER\b/i.test(current)) {
        triggerDepth++;
      } else if (upper === "CASE" && triggerDepth > 0) {
        triggerDepth++;
      } else if (upper === "END" && triggerDepth > 0) {
        triggerDepth--;
      }
      current += word;
      index += word.length;
      continue;
    }
    if (char === ";" && triggerDepth === 0) {
      flush();
      index++;
      continue;
    }
    current += char;
    index++;
  }
  flush();
  return statements;
}
