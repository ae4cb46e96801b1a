// Gives the app Worker's handlers the facades of its remote KV, R2 and D1 bindings, under the
// Cloudflare Vite plugin (see workers/facade-exports.worker.ts for why exports are wrapped). The
// entry module, already compiled to JavaScript, is rewritten so that it first imports the
// facades module (which installs them, before any module of the app runs) and then exports
// each value through `withRemoteFacades()`: handler objects, entrypoint, Durable Object and
// workflow classes alike. Everything else of the module is left as written.
import MagicString from "magic-string";
import { parseAst, type ESTree } from "vite";
import { FACADES_MODULE, WITH_REMOTE_FACADES } from "./virtual-modules.js";

const WRAP = "__accessBridgeWithRemoteFacades";
const PREFIX = "__accessBridge";

type Statement = ESTree.Program["body"][number];
type ExportName = ESTree.ModuleExportName;

function nameOf(node: ExportName): string {
  return node.type === "Literal" ? String(node.value) : node.name;
}

/** Binding names a declaration introduces (`const { a, b: [c] } = …` gives a and c). */
function declaredNames(node: ESTree.BindingPattern | ESTree.BindingRestElement): string[] {
  switch (node.type) {
    case "Identifier":
      return [node.name];
    case "ObjectPattern":
      return node.properties.flatMap((property) =>
        declaredNames(property.type === "RestElement" ? property : property.value),
      );
    case "ArrayPattern":
      return node.elements.flatMap((element) => (element === null ? [] : declaredNames(element)));
    case "AssignmentPattern":
      return declaredNames(node.left);
    case "RestElement":
      return declaredNames(node.argument);
  }
}

/** An export name as written in an export clause: an identifier, else a string (ES2022). */
function exportName(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

export interface RewrittenEntry {
  code: string;
  map: ReturnType<MagicString["generateMap"]>;
}

export function wrapEntryExports(code: string, id: string): RewrittenEntry {
  const program = parseAst(code, { lang: "js", sourceType: "module" }, id);
  const output = new MagicString(code);
  // Function declarations are hoisted: a module in an import cycle may call them before this
  // one has run, so they keep their own export. They are never a handler object, and only a
  // pre-class Durable Object would be constructed with env.
  const functions = new Set(
    program.body.flatMap((statement) =>
      statement.type === "FunctionDeclaration" && statement.id !== null ? [statement.id.name] : [],
    ),
  );
  /** exported name → the local expression to export, wrapped. */
  const wrapped = new Map<string, string>();
  let counter = 0;
  const fresh = () => `${PREFIX}${counter++}`;

  const exportSpecifier = (exported: ExportName, local: string) => {
    wrapped.set(nameOf(exported), local);
  };

  for (const statement of program.body as Statement[]) {
    switch (statement.type) {
      case "ExportDefaultDeclaration": {
        const declaration = statement.declaration;
        const prefix = [statement.start, declaration.start] as const;
        if (declaration.type === "FunctionDeclaration") break;
        if (declaration.type === "ClassDeclaration" && declaration.id !== null) {
          output.remove(...prefix);
          wrapped.set("default", declaration.id.name);
        } else {
          const local = fresh();
          output.overwrite(...prefix, `const ${local} = `);
          output.appendLeft(statement.end, ";");
          wrapped.set("default", local);
        }
        break;
      }
      case "ExportNamedDeclaration": {
        const { declaration, source, specifiers } = statement;
        if (declaration !== null) {
          if (declaration.type === "FunctionDeclaration") break;
          output.remove(statement.start, declaration.start);
          const names =
            declaration.type === "VariableDeclaration"
              ? declaration.declarations.flatMap((item) => declaredNames(item.id))
              : declaration.type === "ClassDeclaration" && declaration.id !== null
                ? [declaration.id.name]
                : [];
          for (const name of names) wrapped.set(name, name);
          break;
        }
        if (source === null) {
          const kept = specifiers.filter(
            (specifier) =>
              specifier.local.type !== "Literal" && functions.has(nameOf(specifier.local)),
          );
          for (const specifier of specifiers) {
            if (!kept.includes(specifier))
              exportSpecifier(specifier.exported, nameOf(specifier.local));
          }
          const keptSource = kept.map((specifier) => code.slice(specifier.start, specifier.end));
          output.overwrite(
            statement.start,
            statement.end,
            keptSource.length === 0 ? "" : `export { ${keptSource.join(", ")} };`,
          );
          break;
        }
        const imports = specifiers.map((specifier) => {
          const local = fresh();
          exportSpecifier(specifier.exported, local);
          return `${code.slice(specifier.local.start, specifier.local.end)} as ${local}`;
        });
        output.overwrite(
          statement.start,
          statement.end,
          `import { ${imports.join(", ")} } from ${code.slice(source.start, source.end)};`,
        );
        break;
      }
      case "ExportAllDeclaration": {
        // `export * from` passes on names this module cannot list: they keep their own export.
        if (statement.exported === null) break;
        const local = fresh();
        exportSpecifier(statement.exported, local);
        output.overwrite(
          statement.start,
          statement.end,
          `import * as ${local} from ${code.slice(statement.source.start, statement.source.end)};`,
        );
        break;
      }
      default:
        break;
    }
  }

  output.prepend(`import { ${WITH_REMOTE_FACADES} as ${WRAP} } from "${FACADES_MODULE}";\n`);
  if (wrapped.size > 0) {
    const lines = [...wrapped].map(([exported, local]) => {
      const name = fresh();
      return { declaration: `const ${name} = ${WRAP}(${local});`, name, exported };
    });
    output.append(
      [
        "",
        ...lines.map((line) => line.declaration),
        `export { ${lines.map(({ name, exported }) => `${name} as ${exportName(exported)}`).join(", ")} };`,
        "",
      ].join("\n"),
    );
  }
  return { code: output.toString(), map: output.generateMap({ hires: "boundary", source: id }) };
}
