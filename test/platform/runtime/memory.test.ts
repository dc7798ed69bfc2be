// A dyno's memory as its limit sees it: pages that forked processes share count once in all.
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'

import {groupMemory} from '../../../src/platform/runtime/memory.js'
import {groupMembers, liveMember, membersByGroup, processMemory, readEach} from '../../../src/platform/runtime/proc.js'

const MIB = 1024 * 1024
/** 64 MiB written (so resident), then three forks that share it without writing, all sleeping. */
const PREFORK = 'import os, time\nb = bytearray(64 * 1024 * 1024)\nfor i in range(0, len(b), 4096): b[i] = 1\nfor _ in range(3):\n    if os.fork() == 0: break\ntime.sleep(30)\n'

describe('dyno memory', function () {
  this.timeout(20_000)
  let group: ChildProcess | undefined

  afterEach(() => {
    if (group?.pid) process.kill(-group.pid, 'SIGKILL')
    group = undefined
  })

  it('charges a pre-forking dyno its shared pages once, not once per process', async () => {
    group = spawn('python3', ['-c', PREFORK], {detached: true, stdio: 'ignore'})
    const pgid = group.pid as number
    let pids: number[] = []
    const rss = async () => Promise.all(pids.map(pid => processMemory([pid])))
    for (let wait = 0; wait < 200 && (pids.length < 4 || (await rss()).some(([bytes]) => bytes < 60 * MIB)); wait++) {
      await new Promise(resolve => setTimeout(resolve, 25))
      pids = groupMembers([pgid]).get(pgid) ?? []
    }
    const summedRss = (await rss()).reduce((sum, [bytes]) => sum + bytes, 0)
    expect(summedRss, 'four processes of 64 MiB each by RSS').to.be.above(4 * 60 * MIB)
    const used = (await groupMemory([pgid])).get(pgid) ?? 0
    expect(used).to.be.within(60 * MIB, 100 * MIB)
  })

  // The sampler runs every second: its cost must grow with the processes, not their square (copying
  // a group's list for each member took 55 s here, past the test's timeout).
  it('lists the members of a group of 100,000 processes', () => {
    const processes: [number, number | undefined][] = []
    for (let pid = 1; pid <= 100_000; pid++) processes.push([pid, pid % 10 === 0 ? 7 : 3])
    processes.push([100_001, undefined])
    const members = membersByGroup(processes, new Set([3, 7]))
    expect(members.get(3)).to.have.length(90_000)
    expect(members.get(7)?.slice(0, 3)).to.deep.equal([10, 20, 30])
    expect(members.has(5)).to.equal(false)
  })

  it('lets the event loop turn every few milliseconds of a pass over /proc', async () => {
    let reading = true
    let turns = 0
    const turn = () => {
      turns++
      if (reading) setImmediate(turn)
    }
    setImmediate(turn)
    // Fifty reads of a millisecond each: in one blocking pass (as before) the loop would not turn at all.
    const read = (pid: number) => {
      const until = performance.now() + 1
      while (performance.now() < until);
      return pid * 2
    }
    const results = await readEach(Array.from({length: 50}, (_, index) => index), read)
    reading = false
    expect(results.slice(0, 3)).to.deep.equal([0, 2, 4])
    expect(results).to.have.length(50)
    expect(turns, 'turns of the event loop during the pass').to.be.at.least(5)
  })
})

describe('a stopping dyno\'s process group', function () {
  this.timeout(20_000)

  // A stop asks every 50 ms whether the group is gone: while a member ignores SIGTERM, the member
  // found last answers, instead of a look at every process on the machine each time.
  it('answers with the member it knew while that one lives, another once it is gone, none once all are', async () => {
    const group = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], {detached: true, stdio: 'ignore'})
    const pgid = group.pid as number
    const members = async (count: number) => {
      for (let wait = 0; wait < 200; wait++) {
        const pids = groupMembers([pgid]).get(pgid) ?? []
        if (pids.length === count) return pids
        await new Promise(resolve => setTimeout(resolve, 25))
      }
      throw new Error(`the group never had ${count} members`)
    }
    try {
      const [leader, first, last] = (await members(3)).sort((a, b) => a - b)
      expect([leader, liveMember(pgid)]).to.deep.equal([pgid, pgid])
      expect(liveMember(pgid, last), 'the known member, though not the first in /proc').to.equal(last)
      process.kill(last, 'SIGKILL')
      await members(2)
      expect(liveMember(pgid, last), 'once it is gone').to.be.oneOf([leader, first])
      process.kill(-pgid, 'SIGKILL')
      for (let wait = 0; wait < 200 && liveMember(pgid, first) !== undefined; wait++) await new Promise(resolve => setTimeout(resolve, 25))
      expect(liveMember(pgid, first)).to.equal(undefined)
    } finally {
      try {
        process.kill(-pgid, 'SIGKILL')
      } catch {
        // Gone already.
      }
    }
  })
})
