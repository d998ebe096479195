// One job at a time on the service's single database connection. DuckDB allows one writing process,
// and one connection runs one transaction at a time: a query run while a submission's transaction is
// open would run inside it. So every use of the store (writes and reads alike) waits its turn here;
// reading and checking uploads, and drawing charts, happen outside the queue.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  /** Runs `job` after every job queued before it has settled; a failed job does not stop the queue. */
  run<T>(job: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(job, job);
    this.tail = result.then(
      () => this.waiting--,
      () => this.waiting--,
    );
    return result;
  }

  /** Jobs queued or running. */
  get pending(): number {
    return this.waiting;
  }

  /** Resolves when every job queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
