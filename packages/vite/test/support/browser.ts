// Headless Chromium for the browser test, driven by playwright-core (which never downloads a
// browser of its own). The browser arrives with `npm ci`: @sparticuz/chromium ships a Chromium
// build inside its npm package, with the shared libraries it needs beyond glibc (NSS, NSPR: its
// al2023 archive), so a fresh machine needs nothing from apt. Debian's Chromium is the fallback
// when that build cannot be unpacked or started.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sparticuz, { inflate } from "@sparticuz/chromium";
import { chromium, type BrowserContext } from "playwright-core";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  /** Which Chromium runs: the packaged one or the system's. */
  executable: string;
  close(): Promise<void>;
}

interface Executable {
  path: string;
  env: Record<string, string>;
}

/**
 * The packaged Chromium, unpacked into the temp folder (once; it checks for an earlier copy).
 * Its libraries are put first on LD_LIBRARY_PATH of the browser process only, as the package does
 * for itself on Amazon Linux.
 */
async function packagedChromium(): Promise<Executable> {
  const bin = path.resolve(
    path.dirname(fileURLToPath(import.meta.resolve("@sparticuz/chromium"))),
    "../bin",
  );
  // One after the other: executablePath() unpacks the fonts itself on a first run, and an
  // inflate() of the same archive started beside it would find no folder yet and unpack it a
  // second time into the same place. Once executablePath() has resolved, inflate() finds each
  // folder it made and returns it.
  const executable = await sparticuz.executablePath(bin);
  const libraries = await inflate(path.join(bin, "al2023.tar.br"));
  const fonts = await inflate(path.join(bin, "fonts.tar.br"));
  const inherited = process.env.LD_LIBRARY_PATH;
  return {
    path: executable,
    env: {
      LD_LIBRARY_PATH: [path.join(libraries, "lib"), ...(inherited ? [inherited] : [])].join(":"),
      FONTCONFIG_FILE: writeFontConfig(fonts),
    },
  };
}

/**
 * A fontconfig file that names the fonts where they were unpacked. The package's own fonts.conf
 * names /tmp/fonts, where they land only when the temp folder is /tmp; the suite runs with a temp
 * folder of its own, so Chromium found no font at all on a machine without a /tmp/fonts left from
 * elsewhere, and died on the first form field it drew (Skia's "SkFontMgr_FontConfigInterface …
 * Not implemented", a fresh CI machine on 2026-12-04).
 */
function writeFontConfig(fonts: string): string {
  const file = path.join(fonts, "access-bridge-fonts.conf");
  const escape = (text: string) =>
    text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${escape(fonts)}</dir>
  <cachedir>${escape(path.join(fonts, "cache"))}</cachedir>
</fontconfig>
`,
  );
  return file;
}

export async function launchChromium(): Promise<Browser> {
  // A fresh profile each time: nothing cached from an earlier run.
  const profile = mkdtempSync(path.join(tmpdir(), "access-bridge-chromium-"));
  const launch = (executable: Executable) =>
    chromium.launchPersistentContext(profile, {
      executablePath: executable.path,
      headless: true,
      args: FLAGS,
      env: { ...process.env, ...executable.env } as Record<string, string>,
    });
  let executable: Executable | undefined;
  let context: BrowserContext;
  try {
    executable = await packagedChromium();
    context = await launch(executable);
  } catch (error) {
    if (!existsSync(SYSTEM_CHROMIUM)) {
      rmSync(profile, { recursive: true, force: true });
      throw new Error(
        `The Chromium of @sparticuz/chromium did not start${executable ? ` (${executable.path})` : ""}, and there is no ${SYSTEM_CHROMIUM} to fall back on. Run npm ci again, or install Debian's package: apt-get install -y chromium.`,
        { cause: error },
      );
    }
    console.warn(
      `The Chromium of @sparticuz/chromium did not start (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); using ${SYSTEM_CHROMIUM}.`,
    );
    executable = { path: SYSTEM_CHROMIUM, env: {} };
    context = await launch(executable);
  }
  return {
    context,
    executable: executable.path,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
