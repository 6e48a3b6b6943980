// Key shapes of the items the projector reads and writes (docs/model.md).
// debt: mirror of store's keys.ts until store exports it; then re-export from there.

export const pad = (n: number, width: number): string => String(n).padStart(width, '0')

export const messagePk = (messageId: string): string => `MSG#${messageId}`
export const ATTEMPT_PREFIX = 'ATTEMPT#'
export const REDRIVE_PREFIX = 'REDRIVE#'
export const AUDIT_PREFIX = 'AUDIT#'
export const STATE_SK = 'STATE'

export const attemptSk = (n: number): string => `${ATTEMPT_PREFIX}${pad(n, 6)}`
export const redriveSk = (k: number): string => `${REDRIVE_PREFIX}${pad(k, 4)}`
export const auditSk = (segment: number): string => `${AUDIT_PREFIX}${pad(segment, 4)}`

export type Key = { readonly pk: string; readonly sk: string }
export const auditKey = (messageId: string, segment: number): Key => ({ pk: messagePk(messageId), sk: auditSk(segment) })
