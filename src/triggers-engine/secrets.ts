// AES-GCM encryption of subscriber credentials, with a key derived from CAIRN_ENCRYPTION_KEY.
import type { Env } from "../env.ts";

async function key(env: Env): Promise<CryptoKey> {
  const secret = env.CAIRN_ENCRYPTION_KEY;
  if (!secret) throw new Error("set the CAIRN_ENCRYPTION_KEY secret to store subscriber credentials");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return crypto.subtle.importKey("raw", digest, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export async function encryptJson(env: Env, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await key(env),
    new TextEncoder().encode(JSON.stringify(value)),
  );
  return `${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

export async function decryptJson(env: Env, sealed: string): Promise<unknown> {
  const [iv, data] = sealed.split(".");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv ?? "") },
    await key(env),
    fromBase64(data ?? ""),
  );
  return JSON.parse(new TextDecoder().decode(plain));
}
