// Nothing the platform started outlives its supervision. Every dyno process carries the platform's
// mark in its environment (this state folder's id and the dyno's id); a process with the mark
// whose dyno is not running here is an orphan: of an earlier run killed with -9, of a deleted
// database, or a child that left its dyno's process group (`setsid`). Found by the mark, not by
// memory or the store, so a lost database cannot leave processes behind.
import type {PlatformStore} from '../contract.js'
import {groupMembers, hasVariable, type MarkedProcess, markedProcesses, readMarkedProcesses} from './proc.js'

const PLATFORM_ID_VARIABLE = 'AKA_PLATFORM_ID'
const DYNO_ID_VARIABLE = 'AKA_DYNO_ID'

/** The variables that mark a dyno's processes as this platform's. */
export function dynoMark(platformId: string, dynoId: string): Record<string, string> {
  return {[PLATFORM_ID_VARIABLE]: platformId, [DYNO_ID_VARIABLE]: dynoId}
}

/**
 * Ends every process with this platform's mark whose dyno is not in `running`; returns how many.
 * `log` tells each one. Blocks while it reads every process's environment: for the platform's start
 * and stop, when nothing else runs.
 */
export function endOrphans(platformId: string, running: ReadonlySet<string>, log: (line: string) => void): number {
  return endMarked(markedProcesses(`${PLATFORM_ID_VARIABLE}=${platformId}`, DYNO_ID_VARIABLE), running, log)
}

/**
 * `endOrphans` while dynos run, without blocking the event loop; `running` is asked once every
 * environment is read, so a dyno started meanwhile is no orphan.
 */
export async function sweepOrphans(platformId: string, running: () => ReadonlySet<string>, log: (line: string) => void): Promise<number> {
  const marked = await readMarkedProcesses(`${PLATFORM_ID_VARIABLE}=${platformId}`, DYNO_ID_VARIABLE)
  return endMarked(marked, running(), log)
}

function endMarked(marked: MarkedProcess[], running: ReadonlySet<string>, log: (line: string) => void): number {
  let ended = 0
  for (const {pid, value} of marked) {
    if (value !== undefined && running.has(value)) continue
    try {
      process.kill(pid, 'SIGKILL')
      ended++
      log(`killed orphan process ${pid} of dyno ${value ?? '(unknown)'}, which the platform does not run`)
    } catch (error) {
      // Gone meanwhile, or not ours to end.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') log(`could not kill orphan process ${pid}: ${(error as Error).message}`)
    }
  }
  return ended
}

/**
 * After a `kill -9` of the platform its recorded dyno groups live on: end each one before anything
 * starts, also members that cleared their environment. A group is killed only while one of its
 * processes still carries the dyno's `DYNO` variable, since a recorded group id may since have
 * been reused by something else.
 */
export function endRecordedGroups(store: PlatformStore, log: (line: string) => void): void {
  const records = store.processes()
  const members = groupMembers(records.map(record => record.pgid))
  for (const record of records) {
    const ours = (members.get(record.pgid) ?? []).some(pid => hasVariable(pid, `DYNO=${record.dyno}`))
    if (ours) {
      try {
        process.kill(-record.pgid, 'SIGKILL')
        log(`killed orphan ${record.dyno} (process group ${record.pgid}) of an earlier run`)
      } catch (error) {
        log(`could not kill orphan ${record.dyno} (process group ${record.pgid}): ${(error as Error).message}`)
      }
    }
    store.forgetProcess(record.pgid)
  }
}
