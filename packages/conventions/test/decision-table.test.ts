// docs/architecture.md's "Where each decision lives" names, for each decision, the one file that
// makes it and a symbol that file declares for it. This keeps the table true as files move: each
// file exists and declares and exports its symbol (a re-export from elsewhere does not count).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const HEADING = "## Where each decision lives";

interface Row {
  decision: string;
  file: string;
  symbol: string;
}

function tableRows(): Row[] {
  const doc = readFileSync(path.join(ROOT, "docs/architecture.md"), "utf8");
  const start = doc.indexOf(`\n${HEADING}\n`);
  if (start === -1) throw new Error(`docs/architecture.md has no "${HEADING}" section.`);
  const section = doc.slice(start + HEADING.length + 2).split("\n## ")[0]!;
  const lines = section.split("\n").filter((line) => line.startsWith("|"));
  // The header row and the row of dashes.
  return lines.slice(2).map((line) => {
    const [decision = "", file = "", symbol = ""] = line
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    const code = (cell: string) => /^`([^`]+)`$/.exec(cell)?.[1];
    const row = { decision, file: code(file), symbol: code(symbol) };
    if (row.file === undefined || row.symbol === undefined) {
      throw new Error(`A row of "${HEADING}" is not | decision | \`file\` | \`symbol\` |: ${line}`);
    }
    return row as Row;
  });
}

/** Names the module declares and exports itself: `export function x`, `export { x }`, … */
function declaredExports(file: string): Set<string> {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      // `export { x } from "./y.js"` only passes on what another file decides.
      if (statement.moduleSpecifier !== undefined) continue;
      if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) names.add(element.name.text);
      }
      continue;
    }
    const exported =
      ts.canHaveModifiers(statement) &&
      ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      }
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name !== undefined
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

const rows = tableRows();

it("the table names a decision once, each in a package's source", () => {
  expect(rows.length).toBeGreaterThanOrEqual(10);
  const decisions = rows.map((row) => row.decision);
  expect(new Set(decisions).size).toBe(decisions.length);
  for (const row of rows) expect(row.file, row.decision).toMatch(/^packages\/[^/]+\/src\/.+\.ts$/);
});

it.each(rows.map((row) => [row.decision, row] as const))(
  "%s: its file declares and exports the symbol",
  (_decision, { file, symbol }) => {
    const absolute = path.join(ROOT, file);
    expect(existsSync(absolute), `${file} exists`).toBe(true);
    expect([...declaredExports(absolute)], `${file} exports ${symbol}`).toContain(symbol);
  },
);
