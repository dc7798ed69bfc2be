// Evaluated just before axios (see ./axios.ts). At import axios probes fetch, Request, Response and
// ReadableStream for its fetch adapter; touching them makes Node load undici and its web streams,
// about 10 ms that aka never uses (axios picks its http adapter first in Node). While axios loads,
// these globals read as undefined; restoreFetch puts Node's own lazy getters back untouched.
const NAMES = ['fetch', 'Request', 'Response', 'Headers', 'FormData', 'ReadableStream']

// On Node 22 and 24 these globals are lazy data properties: reading one, its descriptor included, is
// what loads undici. There they are left alone (the bundle's copy of axios makes no probe, see
// scripts/bundle.js); sources run by bin/dev.js pay for the probe.
const LAZY_DATA_GLOBALS = Number(process.versions.node.split('.')[0]) >= 22
const saved = LAZY_DATA_GLOBALS ? [] : NAMES.map(name => ({name, descriptor: Object.getOwnPropertyDescriptor(globalThis, name)}))
const hidden: string[] = []
for (const {name, descriptor} of saved) {
  if (descriptor?.configurable === false) continue
  Object.defineProperty(globalThis, name, {value: undefined, configurable: true, writable: true})
  hidden.push(name)
}

export function restoreFetch(): void {
  for (const {name, descriptor} of saved) {
    if (!hidden.includes(name)) continue
    if (descriptor) Object.defineProperty(globalThis, name, descriptor)
    else delete (globalThis as Record<string, unknown>)[name]
  }
  hidden.length = 0
}
