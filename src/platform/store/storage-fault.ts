// Disk and permission faults of the state folder, told apart from every other error. The API
// answers them with one line naming the folder (507), and the runtime goes on without the write,
// so reads and running dynos are not affected by a full or read-only disk.
import Database from 'better-sqlite3'
import {isAbsolute, relative} from 'node:path'

import type {PlatformStore} from '../contract.js'

/** What went wrong, and what a person does about it, by error code (SQLite's by prefix). */
const FAULTS: {code: string, what: string, fix: string}[] = [
  {code: 'SQLITE_FULL', what: 'the disk is full', fix: 'free some space there'},
  {code: 'SQLITE_IOERR', what: 'the disk failed to read or write', fix: 'check the disk'},
  {code: 'SQLITE_READONLY', what: 'its database cannot be written', fix: 'make it writable, or restart the platform if its database was moved'},
  {code: 'SQLITE_CANTOPEN', what: 'a file in it cannot be opened', fix: 'check its permissions'},
  {code: 'SQLITE_PERM', what: 'permission denied', fix: 'check its permissions'},
  {code: 'ENOSPC', what: 'the disk is full', fix: 'free some space there'},
  {code: 'EDQUOT', what: 'the disk quota is exceeded', fix: 'free some space there'},
  {code: 'EACCES', what: 'permission denied', fix: 'check its permissions'},
  {code: 'EPERM', what: 'operation not permitted', fix: 'check its permissions'},
  {code: 'EROFS', what: 'the file system is read-only', fix: 'make it writable'},
  {code: 'EIO', what: 'the disk failed to read or write', fix: 'check the disk'},
]

/** Codes that can only come from the state folder, whichever file they name. */
const ANYWHERE = new Set(['ENOSPC', 'EDQUOT'])

/**
 * The one-line message for a storage fault of the state folder `home` (while serving, or while
 * `starting`), or undefined for any other
 * error. A file-system error counts only when it names a file inside the folder (an unreadable
 * folder being deployed is the user's, not the platform's), or when it is a full disk.
 */
export function storageFault(error: unknown, home: string, starting = false): string | undefined {
  if (!(error instanceof Error)) return undefined
  const {code, path} = error as NodeJS.ErrnoException
  if (typeof code !== 'string') return undefined
  const sqlite = error instanceof Database.SqliteError
  const fault = FAULTS.find(candidate => (sqlite ? candidate.code.startsWith('SQLITE_') && code.startsWith(candidate.code) : candidate.code === code))
  if (!fault) return undefined
  if (!sqlite && !ANYWHERE.has(code) && !(path !== undefined && inside(path, home))) return undefined
  const then = starting ? 'then start it again' : 'then try again; reads and running dynos go on'
  return `The local platform cannot write to its state folder ${home}: ${fault.what} (${code}). ${capitalize(fault.fix)}, ${then}`
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

function inside(path: string, home: string): boolean {
  const rest = relative(home, path)
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest))
}

/** The runtime's bookkeeping writes: losing one is harmless (the next step writes it again, the next start checks each recorded process's mark). */
const BOOKKEEPING = ['recordDeployment', 'forgetProcess', 'setRouterPort'] as const

/**
 * The store as the runtime gets it: a storage fault in a bookkeeping write is logged (once until
 * writes work again) instead of thrown out of a reconcile step, an exit handler or a timer, where
 * it would stop supervision. `recordProcess` still throws, with the one-line message, since a dyno
 * must not run unrecorded: its start fails, and the dyno says why.
 */
export function guardRuntimeStore<T extends PlatformStore>(store: T, home: string, log: (line: string) => void): T {
  let failing = false
  const guarded = (method: string, call: () => unknown, swallow: boolean): unknown => {
    try {
      const result = call()
      if (failing) {
        failing = false
        log(`the state folder ${home} takes writes again`)
      }
      return result
    } catch (error) {
      const message = storageFault(error, home)
      if (!message) throw error
      if (!swallow) throw new Error(message, {cause: error})
      if (!failing) log(`${method} not written: ${message}`)
      failing = true
      return undefined
    }
  }
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== 'function') return value
      const swallow = (BOOKKEEPING as readonly (string | symbol)[]).includes(property)
      if (!swallow && property !== 'recordProcess') return value.bind(target)
      return (...args: unknown[]) => guarded(String(property), () => value.apply(target, args), swallow)
    },
  })
}
