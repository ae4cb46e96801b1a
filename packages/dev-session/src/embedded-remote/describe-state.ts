// What the start-up line says about the embedded remote's stand-ins: where their state is kept,
// and which D1 migrations were applied, so that a database that answers "no such table" or holds
// yesterday's rows is never a surprise.
import path from "node:path";
import type { EmbeddedRemote } from "./start-embedded-remote.js";

function shown(dir: string, cwd: string): string {
  const relative = path.relative(cwd, dir);
  return relative === "" ? "." : relative.startsWith("..") ? dir : relative;
}

export function describeEmbeddedRemoteState(
  remote: Pick<EmbeddedRemote, "stateDir" | "migrations">,
  cwd: string,
): string[] {
  const lines = remote.migrations.map(({ binding, dir, applied, total }) => {
    const folder = `${shown(dir, cwd)}/`;
    if (total === 0)
      return `D1 ${binding}: no migrations in ${folder}, so its stand-in starts with no tables.`;
    if (applied.length === 0) {
      return `D1 ${binding}: the ${total} migration${total === 1 ? "" : "s"} in ${folder} had been applied before; nothing new.`;
    }
    return `D1 ${binding}: applied ${applied.length} migration${applied.length === 1 ? "" : "s"} from ${folder} (${applied.join(", ")}), as a deployed database would have them.`;
  });
  lines.push(
    remote.stateDir === undefined
      ? "The stand-ins' state is in memory: it is gone when this command ends."
      : `The stand-ins' KV, R2 and D1 state is kept in ${shown(remote.stateDir, cwd)}/ across restarts; --fresh-remote starts them empty.`,
  );
  return lines;
}
