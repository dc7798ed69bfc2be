// The runtime's memory sample of a dyno of many processes: how long a pass over /proc takes, its
// CPU, and the longest the event loop waits meanwhile (what an API request would wait for).
// Usage: node --import tsx bench/proc-sample.ts [PROCESSES] (default 5000): one process group of
// that many sleeping processes, sampled three times, then killed.
import {spawn} from 'node:child_process'
import {setTimeout as sleep} from 'node:timers/promises'

import {groupMemory} from '../src/platform/runtime/memory.js'
import {groupMembers} from '../src/platform/runtime/proc.js'

const processes = Number(process.argv[2] ?? 5000)
if (!Number.isInteger(processes) || processes < 1) throw new Error('usage: bench/proc-sample.ts [PROCESSES]')

const group = spawn('sh', ['-c', `i=0; while [ $i -lt ${processes} ]; do sleep 100000 & i=$((i+1)); done; wait`], {detached: true, stdio: 'ignore'})
const pgid = group.pid as number
try {
  while ((groupMembers([pgid]).get(pgid)?.length ?? 0) < processes + 1) await sleep(300)
  for (let round = 1; round <= 3; round++) {
    let last = performance.now()
    let longest = 0
    const watch = setInterval(() => {
      const now = performance.now()
      longest = Math.max(longest, now - last)
      last = now
    }, 1)
    await sleep(10)
    last = performance.now()
    longest = 0
    const cpu = process.cpuUsage()
    const started = performance.now()
    const used = await groupMemory([pgid])
    const took = performance.now() - started
    const {user, system} = process.cpuUsage(cpu)
    await sleep(10)
    clearInterval(watch)
    console.log(`sample ${round}: ${took.toFixed(0)} ms, CPU ${((user + system) / 1000).toFixed(0)} ms, longest event-loop stall ${longest.toFixed(0)} ms, ${Math.round((used.get(pgid) ?? 0) / 2 ** 20)} MiB in ${processes + 1} processes`)
  }
} finally {
  process.kill(-pgid, 'SIGKILL')
}
