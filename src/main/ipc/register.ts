import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import { channelOf, methodNames } from '../../shared/api'
import { fail } from '../../shared/result'
import type { Gate } from './gate'
import { isTrustedSender, type TrustedOrigin } from './security'

/**
 * The only caller of ipcMain.handle. Each contract method gets its channel; every message's sender is
 * checked (the app's own page, top frame) before the gate validates, authorizes and runs it.
 */
export function registerApi(gate: Gate, trusted: TrustedOrigin): void {
  for (const method of methodNames) {
    ipcMain.handle(channelOf(method), (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event.senderFrame, trusted)) {
        return fail({ code: 'FORBIDDEN', message: 'This page may not call Tessera.' })
      }
      return gate(String(event.sender.id), method, input)
    })
  }
}
