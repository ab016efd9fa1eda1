/** Why a database could not be created or opened, for the adapters (CLI, console) that report it. */
export { DatabaseOpenError, dbFailureReasons, type DbFailureReason } from '../db/errors'
