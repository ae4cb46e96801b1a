import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseJsonc, printParseErrorCode, type ParseError } from "jsonc-parser";
import { parse as parseToml, TomlError } from "smol-toml";
import { CliError } from "../cli-error.js";

export const CONFIG_FILE_NAMES = ["wrangler.jsonc", "wrangler.json", "wrangler.toml"];

export interface ConfigFile {
  path: string;
  data: Record<string, unknown>;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** The config `--config` names, or the first wrangler.{jsonc,json,toml} in `cwd`. */
export function findConfigFile(cwd: string, explicit: string | undefined): string {
  if (explicit !== undefined) {
    const resolved = path.resolve(cwd, explicit);
    if (!existsSync(resolved)) {
      throw new CliError(
        "ERR_CONFIG_NOT_FOUND",
        `No config file at ${resolved}. Check the --config path.`,
      );
    }
    return resolved;
  }
  const found = CONFIG_FILE_NAMES.map((name) => path.join(cwd, name)).find(existsSync);
  if (found === undefined) {
    throw new CliError(
      "ERR_CONFIG_NOT_FOUND",
      `No ${CONFIG_FILE_NAMES.join(", ")} in ${cwd}. Run in your Worker's folder or pass --config <path>.`,
    );
  }
  return found;
}

function parseJsoncConfig(file: string, text: string): unknown {
  const errors: ParseError[] = [];
  const data: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  const [first] = errors;
  if (first !== undefined) {
    const { line, column } = lineAndColumn(text, first.offset);
    throw new CliError(
      "ERR_CONFIG_SYNTAX",
      `${file}:${line}:${column}: ${printParseErrorCode(first.error)}. Fix the syntax there and run again.`,
    );
  }
  return data;
}

function parseTomlConfig(file: string, text: string): unknown {
  try {
    return parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split("\n")[0];
      throw new CliError(
        "ERR_CONFIG_SYNTAX",
        `${file}:${error.line}:${error.column}: ${reason}. Fix the syntax there and run again.`,
      );
    }
    throw error;
  }
}

export function readConfigFile(file: string): ConfigFile {
  const text = readFileSync(file, "utf8");
  const data = file.endsWith(".toml") ? parseTomlConfig(file, text) : parseJsoncConfig(file, text);
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new CliError(
      "ERR_CONFIG_INVALID",
      `${file} must hold an object at the top level (with "main", "compatibility_date", bindings…).`,
    );
  }
  return { path: file, data: data as Record<string, unknown> };
}
