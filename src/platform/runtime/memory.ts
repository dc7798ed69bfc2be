// Resident memory of dyno process groups, sampled from /proc in one pass.
import {groupMembers, proportionalBytes, residentBytes} from './proc.js'

/**
 * Memory in bytes of each of the given process groups (a group with no process left is absent): the
 * RSS of a lone process, the sum of PSS over several, whose pages forked processes share (a
 * pre-forking server) count once in all, as a container's memory cgroup counts them.
 */
export function groupMemory(pgids: Iterable<number>): Map<number, number> {
  const used = new Map<number, number>()
  for (const [pgid, pids] of groupMembers(pgids)) {
    used.set(pgid, pids.length === 1 ? residentBytes(pids[0]) : pids.reduce((sum, pid) => sum + proportionalBytes(pid), 0))
  }
  return used
}

export function formatBytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`
}
