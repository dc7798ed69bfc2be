#!/usr/bin/env node
// The compile cache goes first so that what loads after it (oclif, axios, cli-table3) can use it.
// The subpath import keeps @oclif/core's root index (and the semver it loads) out of start-up.
import {enableCompileCache} from '../dist/compile-cache.js'

enableCompileCache()
const {execute} = await import('@oclif/core/execute')
await execute({dir: import.meta.url})
