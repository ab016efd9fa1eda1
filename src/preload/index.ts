import { contextBridge, ipcRenderer } from 'electron'
import { buildApiClient } from '../shared/client'

// Exposes exactly one function per contract method, nothing else: no ipcRenderer, no generic invoke.
contextBridge.exposeInMainWorld(
  'api',
  buildApiClient((channel, input) => ipcRenderer.invoke(channel, input)),
)
