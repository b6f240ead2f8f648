import type { PaymentRequired } from '@open402/core'
import type { Task, TaskState } from './a2a-types.js'

/** A task as the serving agent keeps it: the A2A task, the skill it asked for and the terms it was quoted. */
export interface StoredTask {
  task: Task
  skill: string
  /** The PaymentRequired quoted in the input-required message; a payment must match it. */
  paymentRequired?: PaymentRequired
}

/**
 * Where the serving agent keeps its tasks. `update` is a compare-and-set on the task's state, so two
 * payments sent for one task at once cannot both proceed; a database implements it as
 * `UPDATE … WHERE id = ? AND state = ?`.
 */
export interface TaskStore {
  get(id: string): Promise<StoredTask | undefined>
  create(record: StoredTask): Promise<void>
  /** Replaces the task if its state is still `expected`; resolves `false` (changing nothing) otherwise. */
  update(record: StoredTask, expected: TaskState): Promise<boolean>
}

/**
 * A {@link TaskStore} in this process's memory (tasks are lost on restart and not shared between instances).
 * @example const agent = createPaidAgent({ ..., taskStore: createMemoryTaskStore() })
 */
export function createMemoryTaskStore(): TaskStore {
  const tasks = new Map<string, StoredTask>()
  // Records are copied in and out, so a caller mutating its copy never changes the stored task.
  const copy = (record: StoredTask): StoredTask => structuredClone(record)
  return {
    async get(id) {
      const record = tasks.get(id)
      return record && copy(record)
    },
    async create(record) {
      if (tasks.has(record.task.id)) throw new Error(`task ${record.task.id} already exists`)
      tasks.set(record.task.id, copy(record))
    },
    async update(record, expected) {
      const current = tasks.get(record.task.id)
      if (!current || current.task.status.state !== expected) return false
      tasks.set(record.task.id, copy(record))
      return true
    },
  }
}
