import { afterAll } from '@jest/globals'
import { stopListening } from '../../src/audit'

// lift:security is a process-wide diagnostics channel and Jest runs every test file of this package in one
// worker: a subscription a file leaves behind would still write audit records while a later file runs
// (duplicates in audit.test.ts, depending on the order Jest picks). Each file drops its own at the end.
afterAll(() => stopListening())
