/** Why a database could not be created or opened, for the adapters (CLI, console) that report it. */
export {
  DatabaseOpenError,
  dbFailureReasons,
  storageFault,
  StorageError,
  type DbFailureReason,
} from '../db/errors'
/** Whether a failure means the team database went away (the console reconnects on the next call). */
export { isConnectionLost } from '../db/postgres/errors'
