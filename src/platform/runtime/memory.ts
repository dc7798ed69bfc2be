// Resident memory of dyno process groups, sampled from /proc in one pass.
import {groupMembers, residentBytes} from './proc.js'

/** RSS in bytes of each of the given process groups (a group with no process left is absent). */
export function groupMemory(pgids: Iterable<number>): Map<number, number> {
  const rss = new Map<number, number>()
  for (const [pgid, pids] of groupMembers(pgids)) rss.set(pgid, pids.reduce((sum, pid) => sum + residentBytes(pid), 0))
  return rss
}

export function formatBytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`
}
