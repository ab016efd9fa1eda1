/**
 * Whether an error means the team database went away under a running console (a restart, a network
 * cut, an administrator ending sessions) rather than anything about the request: the transaction it
 * interrupted did not commit, and the pool connects again on the next call.
 */
const LOST_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown, terminate_backend
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up)
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
])

export function isConnectionLost(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null
  if (!err || typeof err !== 'object') return false
  if (typeof err.code === 'string' && LOST_CODES.has(err.code)) return true
  return (
    typeof err.message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      err.message,
    )
  )
}
