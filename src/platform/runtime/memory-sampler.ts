// Memory limits: each running dyno's process group is sampled, and one over its size's limit is
// killed (its crash says why). A failure to sample or kill one dyno affects that dyno only.
import type {PlatformStore} from '../contract.js'
import {formatBytes, groupMemory} from './memory.js'

export interface SampledGroup {
  pgid: number
  size: string
  kill: (info: string) => void
}

export class MemorySampler {
  private readonly limits = new Map<string, number>()

  constructor(private readonly store: PlatformStore, private readonly log: (line: string) => void) {}

  sample(groups: SampledGroup[]): void {
    const rss = groupMemory(groups.map(group => group.pgid))
    for (const group of groups) {
      try {
        const limit = this.limit(group.size)
        const used = rss.get(group.pgid) ?? 0
        if (limit > 0 && used > limit) group.kill(`memory quota exceeded (${formatBytes(used)} used, limit ${formatBytes(limit)})`)
      } catch (error) {
        this.log(`memory check of process group ${group.pgid} failed: ${(error as Error).message}`)
      }
    }
  }

  private limit(size: string): number {
    let limit = this.limits.get(size)
    if (limit === undefined) {
      limit = this.store.memoryLimit(size)
      this.limits.set(size, limit)
    }
    return limit
  }
}
