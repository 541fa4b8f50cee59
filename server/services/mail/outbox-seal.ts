import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The parts of an email that may carry live links: never stored in clear. */
export interface SealedParts {
  text: string;
  html: string | null;
  headers: Record<string, string>;
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals outbox bodies with AES-256-GCM under a key derived from the server secret (HKDF-SHA256,
 * its own `info`, so the key is never the one that signs links or cookies). A copy of the
 * database alone (a backup, a stolen file) then holds no usable sign-in or action link.
 * Layout: version byte, 12-byte IV, 16-byte tag, ciphertext of the JSON of `SealedParts`.
 */
export function createOutboxSeal(secret: string) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'minutes', 'minutes outbox seal v1', 32));
  return {
    seal(parts: SealedParts): Buffer {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(parts), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
    },
    /** Throws when the blob was sealed under another secret or altered. */
    open(blob: Buffer): SealedParts {
      if (blob[0] !== VERSION) throw new Error(`unknown outbox seal version ${blob[0]}`);
      const iv = blob.subarray(1, 1 + IV_BYTES);
      const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const json = Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      return JSON.parse(json) as SealedParts;
    },
  };
}

export type OutboxSeal = ReturnType<typeof createOutboxSeal>;
