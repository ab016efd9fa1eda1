/**
 * OS notifications on this console: Electron's Notification in the desktop app (wired in the
 * composition root, the only place that may import electron); nothing under Node, in the CLI and in tests
 * unless a test records them. A notification names people and requests, never a code or a secret.
 */
export interface Notifier {
  notify(n: { title: string; body: string }): void
}

export const silentNotifier: Notifier = { notify: () => {} }
