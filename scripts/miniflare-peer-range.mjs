// The Miniflare peer range of every package that runs Miniflare, written in one place.
//
// Why a script: wrangler 4 ships Miniflare 5 prereleases (5.YYYYMMDD.N-alpha/-beta), and npm
// matches a prerelease only against a range entry with the same major.minor.patch, so
// `>=5.20260811.1-alpha` would refuse the Miniflare of every later wrangler. The range has to
// name each prerelease; when wrangler moves to a new one, run this script and commit the result.
//
//   node scripts/miniflare-peer-range.mjs          rewrite the ranges from the npm registry
//   node scripts/miniflare-peer-range.mjs --print  print the range, change nothing
//
// The floor is the Miniflare of the oldest wrangler we accept (see the README's version table):
// older Miniflare 5 alphas refuse the embedded remote's worker options.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const MINIFLARE_FLOOR = "5.20260811.1-alpha";
// Package folder → what its range accepts besides wrangler 4's Miniflare 5 (remote-bindings'
// Node helpers also run on Miniflare 4, whose options API the fixtures test separately).
export const MINIFLARE_PEERS = {
  "access-emulator": [],
  cli: [],
  "dev-session": [],
  "remote-bindings": ["^4.20260501.0"],
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Orders Miniflare 5 versions by date, then by patch number, prereleases and releases alike. */
function order(version) {
  const [, date, patch] = /^5\.(\d+)\.(\d+)/.exec(version) ?? [];
  return Number(date) * 1000 + Number(patch);
}

export function peerRange(publishedVersions, alsoAccepted = []) {
  const floor = order(MINIFLARE_FLOOR);
  const prereleases = publishedVersions
    .filter((version) => version.startsWith("5.") && version.includes("-"))
    .filter((version) => order(version) >= floor)
    .sort((a, b) => order(a) - order(b));
  const [, floorDate] = /^5\.(\d+)\./.exec(MINIFLARE_FLOOR);
  return [...alsoAccepted, ...prereleases, `^5.${floorDate}.0`].join(" || ");
}

function published() {
  const out = execFileSync("npm", ["view", "miniflare", "versions", "--json"], {
    encoding: "utf8",
  });
  return JSON.parse(out);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const versions = published();
  if (process.argv.includes("--print")) {
    console.log(peerRange(versions));
  } else {
    for (const [name, alsoAccepted] of Object.entries(MINIFLARE_PEERS)) {
      const range = peerRange(versions, alsoAccepted);
      const file = path.join(root, "packages", name, "package.json");
      const text = readFileSync(file, "utf8");
      const current = JSON.parse(text).peerDependencies?.miniflare;
      if (current === undefined) throw new Error(`${file} has no miniflare peer to update.`);
      if (current === range) continue;
      // Only the range's text changes, so the file keeps the layout prettier gave it.
      writeFileSync(file, text.replace(JSON.stringify(current), JSON.stringify(range)));
      console.log(`updated ${path.relative(root, file)}`);
    }
  }
}
