import { parseArgs, type ParseArgsConfig } from "node:util";
import { CliError } from "../cli-error.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
export type ParsedValues<T extends Options> = {
  [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string;
};

/** util.parseArgs, with its errors turned into a usage error that shows the command's help. */
export function parseCommandArgs<T extends Options>(
  args: string[],
  options: T,
  help: string,
): ParsedValues<T> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false })
      .values as ParsedValues<T>;
  } catch (error) {
    throw new CliError(
      "ERR_USAGE",
      `${error instanceof Error ? error.message : String(error)}\n\n${help}`,
      2,
    );
  }
}

export function parsePort(value: string | undefined, fallback: number, help: string): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new CliError(
      "ERR_USAGE",
      `--port must be a number from 0 to 65535, got "${value}".\n\n${help}`,
      2,
    );
  }
  return port;
}
