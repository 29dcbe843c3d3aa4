import { generateKeyPairSync, randomBytes } from 'node:crypto'

export const NOW_MS = 1_750_000_000_000
export const NOW_SEC = NOW_MS / 1000
export const now = (): number => NOW_MS

export const hmacSecret = randomBytes(32)
export const ed25519 = generateKeyPairSync('ed25519')
export const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
export const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })

export const keys = {
  'svc-hmac': {
    key: hmacSecret,
    alg: 'hmac-sha256' as const,
    principalId: 'orders-service',
    tenantId: 't-1',
  },
  'svc-ed': { key: ed25519.publicKey, alg: 'ed25519' as const },
  'svc-ec': { key: p256.publicKey, alg: 'ecdsa-p256-sha256' as const },
  'svc-rsa': {
    key: rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    alg: 'rsa-pss-sha512' as const,
  },
}

export const hmacSign = { keyId: 'svc-hmac', key: hmacSecret, alg: 'hmac-sha256' as const, now }
