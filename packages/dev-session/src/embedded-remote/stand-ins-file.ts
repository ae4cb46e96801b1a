// `access-bridge.jsonc` beside the wrangler config names the code of the Workers that remote
// service bindings reach in the embedded remote: `{ "embeddedRemote": { "services": { … } } }`.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse, printParseErrorCode, type ParseError } from "jsonc-parser";
import { DevSessionError } from "../dev-session-error.js";

export const STAND_INS_FILE = "access-bridge.jsonc";

function invalid(file: string, message: string): DevSessionError {
  return new DevSessionError("ERR_STAND_INS", `${file}: ${message}`);
}

/** Service name → absolute path of its stand-in's entry; empty when there is no such file. */
export function readStandInServices(configDir: string): Record<string, string> {
  const file = path.join(configDir, STAND_INS_FILE);
  if (!existsSync(file)) return {};
  const errors: ParseError[] = [];
  const data = parse(readFileSync(file, "utf8"), errors, { allowTrailingComma: true }) as unknown;
  if (errors[0] !== undefined) {
    throw invalid(file, `${printParseErrorCode(errors[0].error)} at offset ${errors[0].offset}.`);
  }
  const services = (data as { embeddedRemote?: { services?: unknown } } | undefined)?.embeddedRemote
    ?.services;
  if (services === undefined) return {};
  if (typeof services !== "object" || services === null || Array.isArray(services)) {
    throw invalid(file, "embeddedRemote.services must map service names to entry files.");
  }
  return Object.fromEntries(
    Object.entries(services).map(([name, entry]) => {
      if (typeof entry !== "string") {
        throw invalid(
          file,
          `embeddedRemote.services.${name} must be the path of the stand-in's entry.`,
        );
      }
      return [name, path.resolve(configDir, entry)];
    }),
  );
}
