/**
 * At most `perHost` tasks at once for one host and `global` at once in all. A task waits for both;
 * the host slot is taken first so a busy host never holds global slots other hosts could use.
 */
export interface Limiter {
  run<T>(host: string, task: () => Promise<T>): Promise<T>
}

export function createLimiter(perHost: number, global: number): Limiter {
  const hosts = new Map<string, Semaphore>()
  const all = new Semaphore(global)
  return {
    async run(host, task) {
      let semaphore = hosts.get(host)
      if (!semaphore) hosts.set(host, (semaphore = new Semaphore(perHost)))
      await semaphore.take()
      try {
        await all.take()
        try {
          return await task()
        } finally {
          all.give()
        }
      } finally {
        semaphore.give()
      }
    },
  }
}

class Semaphore {
  private waiting: (() => void)[] = []
  constructor(private free: number) {}
  take(): Promise<void> {
    if (this.free > 0) {
      this.free--
      return Promise.resolve()
    }
    return new Promise((resolve) => this.waiting.push(resolve))
  }
  give(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.free++
  }
}
