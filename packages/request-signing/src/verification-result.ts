import type { KeyEntry } from './keys'

export type VerificationResult =
  | {
      ok: true
      keyId: string
      entry: KeyEntry
      label: string
      /** Epoch seconds; the Principal's expiresAt. */
      expiresAt: number
      tag?: string
    }
  | { ok: false; reason: string; keyId?: string; entry?: KeyEntry }

export function denied(reason: string, keyId?: string, entry?: KeyEntry): VerificationResult {
  return {
    ok: false,
    reason,
    ...(keyId === undefined ? {} : { keyId }),
    ...(entry === undefined ? {} : { entry }),
  }
}
