// The dyno sizes the local platform offers: region-api's seed plans and their `-prod` twins.
import type {Size} from '../../api/types.js'

export const DEFAULT_SIZE = 'gp1'

interface Plan {
  name: string
  requestMi: number
  limitMi: number
  price: number
}

const PLANS: Plan[] = [
  {name: 'gp1', requestMi: 256, limitMi: 256, price: 10},
  {name: 'gp2', requestMi: 256, limitMi: 512, price: 20},
  {name: 'gp3', requestMi: 768, limitMi: 1024, price: 30},
  {name: 'gp4', requestMi: 1024, limitMi: 1536, price: 40},
  {name: 'mp1', requestMi: 1536, limitMi: 2048, price: 50},
  {name: 'mp2', requestMi: 3072, limitMi: 4096, price: 55},
]

function size(name: string, requestMi: number, limitMi: number, price: number, description: string): Size {
  return {
    stacks: ['local'],
    name,
    resources: {requests: {memory: `${requestMi}Mi`}, limits: {memory: `${limitMi}Mi`}},
    price,
    description,
    deprecated: false,
    type: null,
  }
}

/** Each plan, then its `-prod` twin (request equals limit, $5 more except mp2-prod). */
export const SIZES: Size[] = PLANS.flatMap(plan => [
  size(plan.name, plan.requestMi, plan.limitMi, plan.price, `${plan.name.toUpperCase()} - ${plan.limitMi}Mi memory`),
  size(`${plan.name}-prod`, plan.limitMi, plan.limitMi, plan.name === 'mp2' ? plan.price : plan.price + 5, `${plan.name.toUpperCase()} production - ${plan.limitMi}Mi memory`),
])

export const SIZE_NAMES: string[] = SIZES.map(entry => entry.name)

/** A size's memory limit in bytes; an unknown size gets the default size's limit. */
export function memoryLimitBytes(name: string): number {
  const found = SIZES.find(entry => entry.name === name) ?? SIZES.find(entry => entry.name === DEFAULT_SIZE)
  const mebibytes = Number.parseInt((found as Size).resources.limits.memory, 10)
  return mebibytes * 1024 * 1024
}
