// Resident memory of dyno process groups, sampled from /proc in one pass.
import {processMemory, readGroupMembers} from './proc.js'

/**
 * Memory in bytes of each of the given process groups (a group with no process left is absent): the
 * RSS of a lone process, the sum of PSS over several, whose pages forked processes share (a
 * pre-forking server) count once in all, as a container's memory cgroup counts them.
 */
export async function groupMemory(pgids: Iterable<number>): Promise<Map<number, number>> {
  const used = new Map<number, number>()
  for (const [pgid, pids] of await readGroupMembers(pgids)) {
    used.set(pgid, (await processMemory(pids)).reduce((sum, bytes) => sum + bytes, 0))
  }
  return used
}

export function formatBytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`
}
