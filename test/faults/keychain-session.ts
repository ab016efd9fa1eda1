import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * A D-Bus session of the test's own with a gnome-keyring on it that the test may stop and start: the
 * run's shared keyring (scripts/with-keyring.sh) serves every other test file and must never be touched.
 * The keyring's files live in `dir`, so a keyring started again finds the items stored before.
 */
export interface PrivateKeyring {
  /** The environment a process needs to use this session's keychain. */
  env: NodeJS.ProcessEnv
  running(): boolean
  stop(): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

const PASSWORD = 'tessera-fault-keyring'

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  await new Promise((resolve) => child.once('exit', resolve))
}

export async function startPrivateKeyring(dir: string): Promise<PrivateKeyring> {
  const socket = join(dir, 'bus')
  // No service directories: a keyring that stopped stays away until the test starts it again, instead of
  // D-Bus starting a new, locked one on the next call (what a desktop session does).
  const config = join(dir, 'session.conf')
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socket}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  )
  const bus = spawn('dbus-daemon', ['--nofork', `--config-file=${config}`], { stdio: 'ignore' })
  for (let waited = 0; !existsSync(socket); waited += 20) {
    if (waited > 5_000) throw new Error('dbus-daemon did not start')
    await sleep(20)
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}`,
    XDG_DATA_HOME: dir,
  }
  let keyring: ChildProcess | undefined
  const k: PrivateKeyring = {
    env,
    running: () => keyring !== undefined,
    async start() {
      const child = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
        env,
        stdio: ['pipe', 'ignore', 'ignore'],
      })
      child.stdin!.end(PASSWORD)
      keyring = child
      // It takes the service's name on the bus a moment after it starts.
      await sleep(600)
    },
    async stop() {
      const child = keyring
      keyring = undefined
      if (!child) return
      child.kill('SIGTERM')
      await exited(child)
    },
    async close() {
      await k.stop()
      bus.kill('SIGTERM')
      await exited(bus)
    },
  }
  await k.start()
  return k
}
