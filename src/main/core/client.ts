/** Where a request comes from, recorded with every audit event it causes. */
export interface ClientInfo {
  via: 'desktop' | 'cli'
  machine: string
}
