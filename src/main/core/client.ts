/** Where a request comes from, recorded with every audit event it causes. */
export interface ClientInfo {
  via: 'desktop' | 'cli'
  machine: string
  /** The CLI's emergency mode: whoever holds the database key, never named as a person. */
  actor?: 'key-holder'
}
