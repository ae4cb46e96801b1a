/**
 * A new service token shaped like Cloudflare Access's: a client id `<32 hex>.access` and a
 * 64-hex secret. The Access emulator mints its tokens with it, and `access-bridge dev` mints the
 * embedded remote's before that remote starts (so its config can name it while it starts). It is
 * here, not in the emulator, so that minting one does not load the emulator (and Miniflare).
 */
export function newServiceToken(): { clientId: string; clientSecret: string } {
  return { clientId: `${randomHex(16)}.access`, clientSecret: randomHex(32) };
}

function randomHex(bytes: number): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}
